package dev.nova.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-Dnova.token=s3cret | -Dnova.token=***",
        "-Ddb.password=hunter2 | -Ddb.password=***",
        "-javaagent:/a/nova-agent.jar=token=abc,port=1 | -javaagent:/a/nova-agent.jar=token=***,port=1",
        "-Dspring.datasource.url=jdbc:postgresql://app:pw@db:5432/x | -Dspring.datasource.url=jdbc:postgresql://***@db:5432/x",
        "-DAPI_KEY=k | -DAPI_KEY=***",
        "-Daws.secretAccessKey=zz | -Daws.secretAccessKey=***",
        "-Xmx512m | -Xmx512m",
        "-Dfile.encoding=UTF-8 | -Dfile.encoding=UTF-8",
        "-Dclient.auth.mode=x | -Dclient.auth.mode=***",
        "-Dredis.url=redis://:pw@127.0.0.1:6379 | -Dredis.url=redis://***@127.0.0.1:6379"
      })
  void masksSecretsAndLeavesTheRest(String in, String expected) {
    assertThat(Redaction.redact(in.trim())).isEqualTo(expected.trim());
  }
}
