package dev.nova.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts Nova's bridge classes (typed on JDK classes only) into the bootstrap class loader, so that
 * advice inlined into any host class, whatever its class loader, can call them; done once, before
 * any of Nova's core classes load.
 */
final class BootstrapBridge {
  /** Where the relocated bridge package lives inside nova-agent.jar. */
  static final String PREFIX = bridgePrefix();

  private BootstrapBridge() {}

  private static String bridgePrefix() {
    // The shade plugin relocates this string with the classes: it names the package as shipped.
    String name = "dev.nova.core.bridge.JdbcBridge";
    return name.substring(0, name.lastIndexOf('.') + 1).replace('.', '/');
  }

  /**
   * Defines the bridge classes in the bootstrap class loader. Preferred: the JDK's internal {@code
   * Unsafe.defineClass}, reached by opening {@code jdk.internal.misc} to Nova alone through the
   * {@link Instrumentation}; this leaves the boot class path alone, so class data sharing stays on
   * for the host's classes, and prints nothing. Fallback: a temporary owner-only jar appended to
   * the boot class path (the JVM then warns that application class data sharing is off).
   */
  static void install(Instrumentation inst) throws IOException {
    // Byte Buddy must not reach for sun.misc.Unsafe either (JDK 24+ warns on the host's stderr):
    // our relocated copy reads this property under its relocated name, the host's is unaffected.
    System.setProperty("net.bytebuddy.safe", "true");
    Map<String, byte[]> classes = bridgeClasses();
    try {
      defineInOrder(internalDefiner(inst), classes);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      appendJar(inst, classes);
    }
  }

  /** {@code jdk.internal.misc.Unsafe.defineClass(name, bytes, 0, len, null, null)}. */
  private static BiConsumer<String, byte[]> internalDefiner(Instrumentation inst)
      throws ReflectiveOperationException {
    Module base = Object.class.getModule();
    Module self = BootstrapBridge.class.getModule();
    inst.redefineModule(
        base,
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(self)),
        Map.of("jdk.internal.misc", Set.of(self)),
        Set.of(),
        Map.of());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    Method define =
        unsafeType.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            ProtectionDomain.class);
    return (name, bytes) -> {
      try {
        define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof LinkageError le) {
          throw le;
        }
        throw new IllegalStateException(e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * Defines each class once its supertypes are there: one whose interface is not defined yet is
   * retried after the others (the set is a handful of classes).
   */
  private static void defineInOrder(
      BiConsumer<String, byte[]> define, Map<String, byte[]> classes) {
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    while (!pending.isEmpty()) {
      int before = pending.size();
      LinkageError last = null;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        try {
          define.accept(e.getKey(), e.getValue());
          it.remove();
        } catch (NoClassDefFoundError ex) {
          last = ex; // a supertype is not defined yet
        }
      }
      if (pending.size() == before) {
        throw last;
      }
    }
  }

  private static Map<String, byte[]> bridgeClasses() throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (JarFile in = new JarFile(agentJar().toFile())) {
      for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String n = entry.getName();
        if (n.startsWith(PREFIX) && n.endsWith(".class")) {
          try (InputStream is = in.getInputStream(entry)) {
            out.put(
                n.substring(0, n.length() - ".class".length()).replace('/', '.'),
                is.readAllBytes());
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no bridge classes under " + PREFIX + " in nova-agent.jar");
    }
    return out;
  }

  private static void appendJar(Instrumentation inst, Map<String, byte[]> classes)
      throws IOException {
    Path dir =
        Files.createTempDirectory(
            "nova-bridge",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path bridge = dir.resolve("nova-bridge.jar");
    try (OutputStream file = Files.newOutputStream(bridge);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
        out.write(c.getValue());
        out.closeEntry();
      }
    }
    bridge.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    inst.appendToBootstrapClassLoaderSearch(new JarFile(bridge.toFile()));
  }

  private static Path agentJar() throws IOException {
    try {
      var src = BootstrapBridge.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        throw new IOException("cannot locate nova-agent.jar");
      }
      return Path.of(src.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
