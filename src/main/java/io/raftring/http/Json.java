package io.raftring.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.io.IOException;

/**
 * The JSON of the HTTP edge: one mapper, bodies built as trees so field names are exactly the documented ones, and
 * the one reader of JSON request bodies ({@link #readBounded}), which every route that takes JSON goes through.
 */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Trees of request bodies: one value only, and a field given twice is an error rather than "the last one wins". */
  private static final ObjectReader BODY_READER = MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static HttpEntity.Strict entity(JsonNode json) {
    try {
      return HttpEntities.create(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e); // a tree always renders
    }
  }

  /**
   * The tree of a request body, built only once a streaming pass (no recursion, constant stack) has checked it
   * against {@code limits}: at most {@code maxBytes}, nested at most {@code maxDepth} deep, no number longer than
   * {@link JsonLimits#MAX_NUMBER_CHARS}. Anything else is a RaftRingException: TOO_LARGE for the size, BAD_REQUEST
   * naming the broken limit or the syntax error.
   */
  static JsonNode readBounded(byte[] body, JsonLimits limits) {
    if (body.length > limits.maxBytes()) {
      throw new RaftRingException(ErrorCode.TOO_LARGE, "JSON body is " + body.length
          + " bytes, the limit is " + limits.maxBytes() + " bytes (raftring.http.json.max-bytes)");
    }
    try {
      scan(body, limits);
      JsonNode tree = BODY_READER.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw badRequest("the body is empty; expected JSON");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw badRequest("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading JSON from memory failed", e); // no I/O happens here
    }
  }

  private static void scan(byte[] body, JsonLimits limits) throws IOException {
    try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> {
            if (++depth > limits.maxDepth()) {
              throw badRequest("JSON is nested deeper than the limit of " + limits.maxDepth()
                  + " levels (raftring.http.json.max-depth)");
            }
          }
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            if (parser.getTextLength() > JsonLimits.MAX_NUMBER_CHARS) {
              throw badRequest("a JSON number is longer than " + JsonLimits.MAX_NUMBER_CHARS + " characters");
            }
          }
          default -> { }
        }
      }
    }
  }

  private static RaftRingException badRequest(String message) {
    return new RaftRingException(ErrorCode.BAD_REQUEST, message);
  }
}
