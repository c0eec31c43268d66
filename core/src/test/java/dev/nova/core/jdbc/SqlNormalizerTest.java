package dev.nova.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlNormalizerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("select * from users where name = 'alice'", "select * from users where name = ?"),
        arguments(
            "select * from t where a = 'it''s' and b = 2", "select * from t where a = ? and b = ?"),
        arguments("select * from t where id in (1, 2, 3, 4)", "select * from t where id in (?)"),
        arguments("select * from t where id in ('a','b')", "select * from t where id in (?)"),
        arguments("insert into t values (1, 'x', 2.5e10, -3)", "insert into t values (?)"),
        arguments("select * from t where a > -5", "select * from t where a > ?"),
        arguments("select a-1 from t", "select a-? from t"),
        arguments("select x1, t2.col3 from t2", "select x1, t2.col3 from t2"),
        arguments(
            "select * from t where a = $1 and b = ?", "select * from t where a = $1 and b = ?"),
        arguments("select $$secret body$$", "select ?"),
        arguments("select $tag$ secret $ body $tag$ , 1", "select ? , ?"),
        arguments("select E'a\\'b' , 'c'", "select ? , ?"),
        arguments("select 0xFF, .5", "select ?, ?"),
        arguments("select \"Weird 123 'name'\" from t", "select \"Weird 123 'name'\" from t"),
        arguments("select 1 -- password=hunter2", "select ?"),
        arguments("select /* token abc */ 1", "select ?"),
        arguments("select   a ,\n\t b from   t", "select a , b from t"),
        arguments("select pg_sleep(5)", "select pg_sleep(?)"),
        arguments("update t set v = N'unicode' where k = X'0A'", "update t set v = ? where k = ?"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void replacesEveryLiteral(String in, String out) {
    assertThat(SqlNormalizer.normalize(in)).isEqualTo(out);
  }

  @Test
  void tellsTheStatementsThatMayHoldLocksUntilTheTransactionEnds() {
    for (String w :
        new String[] {
          "update t set v = ? where id = ?",
          "INSERT INTO t VALUES (?)",
          "delete from t",
          "merge into t using s on ? when matched then update set v = ?",
          "select * from t where id = ? for update",
          "SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED",
          "select * from t for share",
          "lock table t in exclusive mode",
          "with x as (update t set v = ? returning id) select * from x",
          "(update t set v = ?)",
          "alter table t add column c int"
        }) {
      assertThat(SqlNormalizer.writes(w)).as(w).isTrue();
    }
    for (String r :
        new String[] {
          "select * from t where id = ?",
          "select updated_at from t",
          "with x as (select ?) select * from x",
          "show transaction isolation level",
          "",
          "?"
        }) {
      assertThat(SqlNormalizer.writes(r)).as(r).isFalse();
    }
    assertThat(SqlNormalizer.writes(null)).isFalse();
  }

  @Test
  void neverShowsALiteralEvenWhenUnterminated() {
    assertThat(SqlNormalizer.normalize("select 'never closed secret")).isEqualTo("select ?");
    assertThat(SqlNormalizer.normalize("select $$never closed")).isEqualTo("select ?");
    assertThat(SqlNormalizer.normalize("select /* never closed secret")).isEqualTo("select");
  }

  @Test
  void isBoundedAndTotal() {
    String huge = "select " + "a, ".repeat(5000) + "b from t";
    String n = SqlNormalizer.normalize(huge);
    assertThat(n.length()).isLessThanOrEqualTo(SqlNormalizer.MAX_LENGTH + 4);
    assertThat(n).endsWith("...");
    assertThat(SqlNormalizer.normalize(null)).isEmpty();
    assertThat(SqlNormalizer.normalize("")).isEmpty();
    for (String odd :
        new String[] {"'", "$", "\"", "E'", "0x", "1e", "--", "/*", ")", "(((", "$1$"}) {
      assertThat(SqlNormalizer.normalize(odd)).isNotNull();
    }
  }
}
