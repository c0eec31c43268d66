package dev.nova.agent;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Byte Buddy's transformer behind a test that costs a hash look-up and one pass over a class's
 * constant pool (and, when a name is there, its methods table): only a class that a module names,
 * or that declares a concrete method with one of the names a hierarchy matcher asks for, reaches
 * Byte Buddy, which would otherwise describe every class the host loads (the bulk of an agent's
 * start-up on a large application). A class being retransformed always goes through.
 */
final class Prefilter extends ResettableClassFileTransformer.WithDelegation {
  private final Set<String> types;
  private final byte[][][] methods;
  private final java.util.concurrent.atomic.LongAdder seen =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder passed =
      new java.util.concurrent.atomic.LongAdder();

  Prefilter(ResettableClassFileTransformer delegate, Interest interest) {
    super(delegate);
    this.types = Set.copyOf(interest.internalTypeNames());
    this.methods = interest.methodNamesByLength();
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] bytes)
      throws IllegalClassFormatException {
    return wanted(loader, className, classBeingRedefined, bytes)
        ? classFileTransformer.transform(loader, className, classBeingRedefined, domain, bytes)
        : null;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] bytes)
      throws IllegalClassFormatException {
    return wanted(loader, className, classBeingRedefined, bytes)
        ? classFileTransformer.transform(
            module, loader, className, classBeingRedefined, domain, bytes)
        : null;
  }

  /** Classes loaded since install, and those of them shown to Byte Buddy. */
  long[] counts() {
    return new long[] {seen.sum(), passed.sum()};
  }

  boolean wanted(ClassLoader loader, String className, Class<?> redefined, byte[] bytes) {
    seen.increment();
    boolean w = test(loader, className, redefined, bytes);
    if (w) {
      passed.increment();
    }
    return w;
  }

  private boolean test(ClassLoader loader, String className, Class<?> redefined, byte[] bytes) {
    if (redefined != null) {
      return true;
    }
    if (className == null) {
      return false; // a hidden class: nothing of Nova's is one
    }
    if (types.contains(className)) {
      return true;
    }
    // hierarchy matchers look for the host's own implementations, never the JDK's
    return loader != null && declaresOneOf(bytes, methods);
  }

  /**
   * True when the class file declares a concrete instance method (neither abstract, native nor
   * static) named one of {@code names} (indexed by length), or when the bytes cannot be read as a
   * class file (Byte Buddy then decides). The constant pool is read first: a class with none of the
   * names there, the most, is passed by without reading further; one that only calls such a method
   * ({@code close}, {@code execute}: names every other class uses) is passed by after its methods
   * table, which is what the hierarchy matchers' {@code declaresMethod} would find anyway.
   */
  static boolean declaresOneOf(byte[] b, byte[][][] names) {
    try {
      int count = u2(b, 8);
      int p = 10;
      int[] hits = null; // constant-pool indexes of the names found
      int found = 0;
      for (int i = 1; i < count; i++) {
        int tag = b[p] & 0xFF;
        switch (tag) {
          case 1 -> { // Utf8
            int len = u2(b, p + 1);
            if (len < names.length && names[len] != null && equalsAny(b, p + 3, names[len])) {
              if (hits == null) {
                hits = new int[4];
              } else if (found == hits.length) {
                hits = java.util.Arrays.copyOf(hits, found * 2);
              }
              hits[found++] = i;
            }
            p += 3 + len;
          }
          case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
          case 5, 6 -> {
            p += 9;
            i++; // a long or double takes two entries
          }
          case 7, 8, 16, 19, 20 -> p += 3;
          case 15 -> p += 4;
          default -> {
            return true; // a constant this reader does not know: let Byte Buddy look
          }
        }
      }
      if (found == 0) {
        return false;
      }
      p += 6; // access flags, this class, super class
      p += 2 + 2 * u2(b, p); // interfaces
      int fields = u2(b, p);
      p += 2;
      for (int f = 0; f < fields; f++) {
        p = skipAttributes(b, p + 6);
      }
      int methods = u2(b, p);
      p += 2;
      for (int m = 0; m < methods; m++) {
        int access = u2(b, p);
        int name = u2(b, p + 2);
        if ((access & (ABSTRACT | NATIVE | STATIC)) == 0) {
          for (int h = 0; h < found; h++) {
            if (hits[h] == name) {
              return true;
            }
          }
        }
        p = skipAttributes(b, p + 6);
      }
      return false;
    } catch (ArrayIndexOutOfBoundsException e) {
      return true;
    }
  }

  private static final int STATIC = 0x0008;
  private static final int NATIVE = 0x0100;
  private static final int ABSTRACT = 0x0400;

  /** Past the attributes that start at {@code p} (their count, then each's name, length, body). */
  private static int skipAttributes(byte[] b, int p) {
    int n = u2(b, p);
    p += 2;
    for (int a = 0; a < n; a++) {
      p += 6 + u4(b, p + 2);
    }
    return p;
  }

  private static int u4(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | (u2(b, at + 2));
  }

  private static boolean equalsAny(byte[] b, int at, byte[][] candidates) {
    for (byte[] c : candidates) {
      boolean same = true;
      for (int k = 0; k < c.length; k++) {
        if (b[at + k] != c[k]) {
          same = false;
          break;
        }
      }
      if (same) {
        return true;
      }
    }
    return false;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
