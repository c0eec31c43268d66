package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The prefilter's reading of real class files (the JDK's own, this test's): a method name in the
 * constant pool is found wherever it sits among the other constants (longs and doubles taking two
 * entries, method handles, dynamic constants), and a class without any of the names is passed by.
 */
class PrefilterTest {
  private static final byte[][][] JDBC =
      new Interest().methods("prepareStatement", "executeQuery", "doFilter").methodNamesByLength();

  /** Declares {@code executeQuery} after constants of every width, and a lambda (indy). */
  static final class Declares {
    static final long BIG = 123_456_789_012L;
    static final double PI = 3.14159;

    Object executeQuery(String sql) {
      Runnable r = () -> System.out.println(sql + BIG + PI);
      return r;
    }
  }

  /** Declares nothing a module asks for. */
  static final class Plain {
    static final long BIG = 987_654_321_098L;

    String run(String s) {
      java.util.function.Supplier<String> f = () -> s + BIG;
      return f.get();
    }
  }

  @Test
  void aDeclaredMethodNameIsFoundAndAClassWithoutOneIsPassedBy() throws IOException {
    assertThat(Prefilter.declaresOneOf(bytes(Declares.class), JDBC)).isTrue();
    assertThat(Prefilter.declaresOneOf(bytes(Plain.class), JDBC)).isFalse();
    // the JDK's own: java.sql.Connection declares prepareStatement; String none of the three
    assertThat(Prefilter.declaresOneOf(bytes(java.sql.Connection.class), JDBC)).isTrue();
    assertThat(Prefilter.declaresOneOf(bytes(String.class), JDBC)).isFalse();
  }

  @Test
  void bytesThatAreNoClassFileAreLeftToByteBuddy() {
    assertThat(Prefilter.declaresOneOf(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0, 0, 61}, JDBC))
        .isTrue();
  }

  @Test
  void namedClassesAndRetransformationsGoThroughHiddenAndBootstrapOnesDoNot() {
    Prefilter p =
        new Prefilter(
            null, new Interest().types("java.sql.DriverManager").methods("prepareStatement"));
    byte[] plain = bytes(Plain.class);
    ClassLoader app = getClass().getClassLoader();
    assertThat(p.wanted(null, "java/sql/DriverManager", null, plain)).isTrue();
    assertThat(p.wanted(app, "some/Plain", String.class, plain)).as("retransformed").isTrue();
    assertThat(p.wanted(app, null, null, plain)).as("hidden").isFalse();
    assertThat(p.wanted(null, "some/Connection", null, bytes(java.sql.Connection.class)))
        .as("the bootstrap loader's classes are never the host's implementations")
        .isFalse();
    assertThat(p.wanted(app, "some/Connection", null, bytes(java.sql.Connection.class))).isTrue();
  }

  private static byte[] bytes(Class<?> c) {
    String name = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
