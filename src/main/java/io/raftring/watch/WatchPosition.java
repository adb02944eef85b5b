package io.raftring.watch;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KvEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a watch stands: for each group it spans, the revision up to which it has delivered every matching event.
 * Revisions are per group, so a watch over several groups needs the whole vector to resume. Clients see it as an
 * opaque token, as a page token: '1' (the format), then base64url of {@code g0:15;g3:20+2}.
 *
 * <p>Events of one revision are delivered one by one, so a position may fall inside a revision: {@code +2} means
 * the first two matching events of the next revision were delivered too. A position belongs to its watch's filter.
 */
public final class WatchPosition {

  /** One group's place: every matching event up to {@code revision}, and the first {@code skip} of the next one. */
  public record At(long revision, int skip) {
    public At {
      if (revision < 0 || skip < 0) {
        throw new IllegalArgumentException("a position is never negative: " + revision + "+" + skip);
      }
    }

    public static At of(long revision) {
      return new At(revision, 0);
    }
  }

  /** An event and the position right after it. */
  public record Step(KvEvent event, At after) {}

  /** What a batch of one group's events delivers: the steps, then where the group stands after the whole batch. */
  public record Delivery(List<Step> steps, At end) {}

  private static final char FORMAT_V1 = '1';
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final NavigableMap<String, At> groups;

  private WatchPosition(NavigableMap<String, At> groups) {
    this.groups = Collections.unmodifiableNavigableMap(groups);
  }

  public static WatchPosition of(Map<String, At> groups) {
    NavigableMap<String, At> copy = new TreeMap<>();
    groups.forEach((group, at) -> {
      if (!GROUP.matcher(group).matches()) {
        throw new IllegalArgumentException("not a group name: '" + group + "'");
      }
      copy.put(group, Objects.requireNonNull(at, "at"));
    });
    return new WatchPosition(copy);
  }

  public static WatchPosition empty() {
    return new WatchPosition(new TreeMap<>());
  }

  /** The group's place, or null when the position does not cover the group. */
  public At at(String group) {
    return groups.get(group);
  }

  public Map<String, At> groups() {
    return groups;
  }

  public WatchPosition with(String group, At at) {
    NavigableMap<String, At> next = new TreeMap<>(groups);
    next.put(group, at);
    return new WatchPosition(next);
  }

  /**
   * Delivers one group's events, read after {@code from.revision()} and holding whole revisions up to
   * {@code through}: the first {@code from.skip()} events of the next revision were delivered before and are
   * skipped; every other event gets the position right after it.
   */
  public static Delivery deliver(At from, List<KvEvent> events, long through) {
    List<Step> steps = new ArrayList<>(events.size());
    int toSkip = from.skip();
    int seenOfRevision = 0;
    long revision = -1;
    long lastRevision = from.revision();
    for (int i = 0; i < events.size(); i++) {
      KvEvent event = events.get(i);
      if (event.revision() != revision) {
        revision = event.revision();
        seenOfRevision = 0;
      }
      seenOfRevision++;
      lastRevision = revision;
      if (revision == from.revision() + 1 && toSkip > 0) {
        toSkip--;
        continue;
      }
      boolean lastOfRevision = i + 1 == events.size() || events.get(i + 1).revision() != revision;
      steps.add(new Step(event, lastOfRevision ? At.of(revision) : new At(revision - 1, seenOfRevision)));
    }
    return new Delivery(steps, At.of(Math.max(through, lastRevision)));
  }

  /** The token clients hold; {@link #parse} reads it back. */
  public String token() {
    StringBuilder text = new StringBuilder();
    groups.forEach((group, at) -> {
      if (text.length() > 0) {
        text.append(';');
      }
      text.append(group).append(':').append(at.revision());
      if (at.skip() > 0) {
        text.append('+').append(at.skip());
      }
    });
    return FORMAT_V1 + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a token {@link #token} made; anything else is a BAD_REQUEST. */
  public static WatchPosition parse(String token) {
    if (token == null || token.length() < 2 || token.charAt(0) != FORMAT_V1 || token.length() > 64 * 1024) {
      throw malformed();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token.substring(1)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
    NavigableMap<String, At> groups = new TreeMap<>();
    for (String part : text.split(";", -1)) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw malformed();
      }
      String group = part.substring(0, colon);
      String rest = part.substring(colon + 1);
      int plus = rest.indexOf('+');
      try {
        At at = plus < 0
            ? At.of(Long.parseLong(rest))
            : new At(Long.parseLong(rest.substring(0, plus)), Integer.parseInt(rest.substring(plus + 1)));
        if (!GROUP.matcher(group).matches() || groups.put(group, at) != null) {
          throw malformed();
        }
      } catch (IllegalArgumentException e) {
        throw malformed();
      }
    }
    return new WatchPosition(groups);
  }

  private static RaftRingException malformed() {
    return new RaftRingException(ErrorCode.BAD_REQUEST, "malformed watch position");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WatchPosition that && groups.equals(that.groups);
  }

  @Override
  public int hashCode() {
    return groups.hashCode();
  }

  @Override
  public String toString() {
    return "WatchPosition" + groups;
  }
}
