package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The prefilter's reading of real class files (the JDK's own, H2's, this test's): a declared method
 * is found wherever its name sits among the other constants (longs and doubles taking two entries,
 * method handles, dynamic constants) and after fields and methods with attributes of every kind; a
 * class that only calls such a method, or declares it static or abstract, is passed by.
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
    // the JDK's own: java.sql.Connection declares prepareStatement, but abstract: no body to weave
    assertThat(Prefilter.declaresOneOf(bytes(java.sql.Connection.class), JDBC)).isFalse();
    assertThat(Prefilter.declaresOneOf(bytes(String.class), JDBC)).isFalse();
  }

  /** Calls {@code executeQuery} (the name is in its constant pool) but declares none of them. */
  static final class Calls {
    Object run(java.sql.Statement st) throws java.sql.SQLException {
      return st.executeQuery("select 1");
    }
  }

  /** Declares {@code executeQuery}, but static, and an abstract {@code prepareStatement}. */
  abstract static class StaticAndAbstract {
    static Object executeQuery(String sql) {
      return sql;
    }

    abstract Object prepareStatement(String sql);
  }

  @Test
  void onlyADeclaredConcreteInstanceMethodCountsNotACallNorAStaticOrAbstractOne()
      throws IOException {
    assertThat(Prefilter.declaresOneOf(bytes(Calls.class), JDBC)).as("a caller").isFalse();
    assertThat(Prefilter.declaresOneOf(bytes(StaticAndAbstract.class), JDBC)).isFalse();
    // a real implementation: H2's connection declares prepareStatement with a body
    assertThat(Prefilter.declaresOneOf(bytes(org.h2.jdbc.JdbcConnection.class), JDBC)).isTrue();
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
    byte[] h2 = bytes(org.h2.jdbc.JdbcConnection.class);
    assertThat(p.wanted(null, "some/Connection", null, h2))
        .as("the bootstrap loader's classes are never the host's implementations")
        .isFalse();
    assertThat(p.wanted(app, "some/Connection", null, h2)).isTrue();
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
