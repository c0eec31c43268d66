package dev.nova.agent;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * What can make a class worth showing to Byte Buddy: its name, or a method name it declares (a
 * module that matches by hierarchy advises declared methods only, so a class declaring none of its
 * method names would get nothing). Each module adds its own; {@link Prefilter} reads a loading
 * class's name and the strings of its constant pool (a method's name is always one) and lets every
 * other class load untouched, without Byte Buddy ever describing it.
 */
public final class Interest {
  private final Set<String> types = new HashSet<>();
  private final Set<String> methods = new HashSet<>();

  /** Classes matched by their name, binary ({@code java.sql.DriverManager}). */
  public Interest types(String... names) {
    for (String n : names) {
      types.add(n.replace('.', '/'));
    }
    return this;
  }

  /** Method names whose declaration makes a class a candidate of a hierarchy matcher. */
  public Interest methods(String... names) {
    methods.addAll(Set.of(names));
    return this;
  }

  Set<String> internalTypeNames() {
    return types;
  }

  Set<String> methodNames() {
    return methods;
  }

  /** The method names as modified UTF-8 (ASCII here), by length: {@code [length][i]}. */
  byte[][][] methodNamesByLength() {
    int max = 0;
    for (String m : methods) {
      max = Math.max(max, m.length());
    }
    byte[][][] out = new byte[max + 1][][];
    for (String m : methods) {
      byte[] b = m.getBytes(StandardCharsets.US_ASCII);
      byte[][] same = out[b.length];
      byte[][] grown =
          same == null ? new byte[1][] : java.util.Arrays.copyOf(same, same.length + 1);
      grown[grown.length - 1] = b;
      out[b.length] = grown;
    }
    return out;
  }
}
