package io.raftring.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {

  private static History read(String... lines) throws IOException {
    return HistoryReader.read(new StringReader(String.join("\n", lines)), "h.jsonl");
  }

  @Test
  void readsEveryKindOfEventAndPairsInvocationsWithCompletions() throws IOException {
    History history = read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":100}",
        "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"time\":110}",
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":120}",
        "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"time\":130}",
        "",
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":140}",
        "{\"process\":0,\"type\":\"info\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":150}",
        "{\"process\":2,\"type\":\"invoke\",\"f\":\"delete\",\"key\":\"k\",\"value\":null,\"time\":160}",
        "{\"process\":2,\"type\":\"fail\",\"f\":\"delete\",\"key\":\"k\",\"error\":\"503 NO_QUORUM\",\"time\":170}");

    assertThat(history.events()).hasSize(8);
    assertThat(history.operations()).containsExactly(
        new Operation(0, OpKind.WRITE, "k", null, "a", Outcome.OK, 100, 120),
        new Operation(1, OpKind.READ, "k", null, null, Outcome.OK, 110, 130),
        new Operation(0, OpKind.CAS, "k", "a", "b", Outcome.INFO, 140, 150),
        new Operation(2, OpKind.DELETE, "k", null, null, Outcome.FAIL, 160, 170));
  }

  @Test
  void aCasExpectingNullMeansOnlyIfAbsent() throws IOException {
    History history = read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[null,\"b\"],\"time\":1}",
        "{\"process\":0,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"k\",\"value\":[null,\"b\"],\"time\":2}");

    assertThat(history.operations().get(0).describeCall()).isEqualTo("cas absent -> \"b\"");
  }

  @Test
  void anInvocationWithoutCompletionBecomesAnUnknownOutcomeThatNeverReturned() throws IOException {
    History history = read(
        "{\"process\":3,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":5}");

    assertThat(history.operations()).singleElement().satisfies(op -> {
      assertThat(op.outcome()).isEqualTo(Outcome.INFO);
      assertThat(op.completeNanos()).isEqualTo(Operation.NEVER);
    });
  }

  @Test
  void aLineThatIsNotJsonIsReportedWithItsLineNumber() {
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"time\":1}",
        "",
        "{\"process\":0,\"type\":\"ok\""))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageStartingWith("h.jsonl line 3: not JSON")
        .extracting(e -> ((HistoryFormatException) e).lineNumber()).isEqualTo(3);
  }

  @Test
  void missingOrMistypedFieldsAreNamed() {
    assertThatThrownBy(() -> read("{\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"time\":1}"))
        .hasMessage("h.jsonl line 1: missing \"process\"");
    assertThatThrownBy(() -> read("{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"time\":\"1\"}"))
        .hasMessage("h.jsonl line 1: \"time\" must be an integer (nanoseconds), got \"1\"");
    assertThatThrownBy(() -> read("{\"process\":0,\"type\":\"invoke\",\"f\":\"append\",\"key\":\"k\",\"time\":1}"))
        .hasMessageContaining("line 1: unknown f \"append\"");
    assertThatThrownBy(() -> read("{\"process\":0,\"type\":\"done\",\"f\":\"read\",\"key\":\"k\",\"time\":1}"))
        .hasMessageContaining("line 1: unknown type \"done\"");
    assertThatThrownBy(() -> read("[1,2]")).hasMessage("h.jsonl line 1: expected a JSON object");
  }

  @Test
  void valuesMustFitTheOperation() {
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":\"a\",\"time\":1}"))
        .hasMessageContaining("line 1: a cas value must be [expected,new]");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":null,\"time\":1}"))
        .hasMessageContaining("line 1: a write must say what it writes");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":7,\"time\":1}"))
        .hasMessageContaining("line 1: value must be a string or null, got 7");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"delete\",\"key\":\"k\",\"value\":\"a\",\"time\":1}"))
        .hasMessageContaining("line 1: a delete has no value");
  }

  @Test
  void aProcessWithTwoOperationsInFlightIsRejected() {
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"time\":1}",
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":2}"))
        .hasMessage("h.jsonl line 2: process 0 invokes a write while its read of line 1 is still in flight");
  }

  @Test
  void aCompletionWithoutInvocationIsRejected() {
    assertThatThrownBy(() -> read(
        "{\"process\":4,\"type\":\"ok\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"time\":1}"))
        .hasMessage("h.jsonl line 1: process 4 reports ok for a read it never invoked");
  }

  @Test
  void aCompletionMustMatchItsInvocation() {
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":1}",
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"j\",\"value\":\"a\",\"time\":2}"))
        .hasMessageContaining("line 2: process 0 completes a write of key \"j\" but invoked a write of key \"k\"");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":1}",
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k\",\"value\":\"b\",\"time\":2}"))
        .hasMessageContaining("line 2: the ok of a write carries a different value than its invocation");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":5}",
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":4}"))
        .hasMessageContaining("line 2: completion time 4 is before invocation time 5");
  }

  @Test
  void everyFailSaysWhyExceptACasRefusedOnItsCondition() throws IOException {
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":1}",
        "{\"process\":0,\"type\":\"fail\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":2}"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageContaining("h.jsonl line 2: a fail must say why in \"error\"");
    History history = read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":1}",
        "{\"process\":0,\"type\":\"fail\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":2}",
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":3}",
        "{\"process\":0,\"type\":\"fail\",\"f\":\"cas\",\"key\":\"k\",\"error\":\"ConnectException\",\"time\":4}");
    assertThat(history.operations()).extracting(Operation::outcome).containsExactly(Outcome.REFUSED, Outcome.FAIL);
    assertThat(history.events().get(3).error()).isEqualTo("ConnectException");
    assertThatThrownBy(() -> read(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k\",\"value\":null,\"error\":\"x\",\"time\":1}"))
        .hasMessageContaining("an invoke has no error");
  }
}
