package io.raftring.watch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.ring.HashTag;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which keys a watch follows: one key, or every key with a prefix (the empty prefix is every key).
 *
 * @param text   the key or the prefix
 * @param prefix whether {@code text} is a prefix
 */
public record WatchFilter(String text, boolean prefix) {

  @JsonCreator
  public WatchFilter(@JsonProperty("text") String text, @JsonProperty("prefix") boolean prefix) {
    this.text = Objects.requireNonNull(text, "text");
    this.prefix = prefix;
    if (!prefix && text.isEmpty()) {
      throw new IllegalArgumentException("a watched key must not be empty");
    }
  }

  public static WatchFilter key(String key) {
    return new WatchFilter(key, false);
  }

  public static WatchFilter prefix(String prefix) {
    return new WatchFilter(prefix, true);
  }

  public boolean matches(String key) {
    return prefix ? key.startsWith(text) : key.equals(text);
  }

  /**
   * The groups that can hold matching keys: the key's group; for a prefix every group, unless the prefix holds a whole
   * hash tag, which places every key that starts with it in one group.
   */
  public List<String> groups(List<String> allGroups, Function<String, String> groupOfKey) {
    if (!prefix || HashTag.pinsPrefix(text)) {
      return List.of(groupOfKey.apply(text));
    }
    return allGroups;
  }

  @Override
  public String toString() {
    return prefix ? "prefix '" + text + "'" : "key '" + text + "'";
  }
}
