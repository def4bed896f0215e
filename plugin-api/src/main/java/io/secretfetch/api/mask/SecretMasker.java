package io.secretfetch.api.mask;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.mask.internal.CompiledSecrets;
import io.secretfetch.api.mask.internal.HitList;
import io.secretfetch.api.mask.internal.SecretRegistry;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces registered secret values, and the forms they take when encoded, with a mask token.
 *
 * <p><b>What it finds.</b> Each registered value and its derived forms: base64 (standard and URL-safe,
 * at every byte alignment, with or without padding; a hit masks the whole base64 run around it),
 * percent-encoding (upper- and lower-case hex, {@code +} for space), JSON string escapes (including
 * <code>&#92;uXXXX</code> and {@code \/}), XML named and numeric entities, POSIX shell single and double
 * quoting, and each line of a multi-line value. Every occurrence is masked, including overlapping
 * values and values that are prefixes of others; overlapping and adjacent hits become one token, so
 * the output does not reveal how many values stood there. {@code mask(mask(x))} equals
 * {@code mask(x)} (for values containing token characters, provided the minimum length exceeds the
 * token length).
 *
 * <p><b>How.</b> All forms of all values are compiled into one Aho–Corasick automaton, so masking reads
 * each character once whatever the number of registered values, and a text without a hit is returned
 * as the same instance without allocating anything.
 *
 * <p><b>What it does not reach.</b> Values shorter than the {@linkplain Builder#minimumLength minimum
 * length} (default 4) are not matched in free text, because masking every "abc" would make logs
 * useless; {@link #register} returns {@code false} and logs one warning (without the value) for them.
 * They are still redacted where they are typed as secrets ({@link #redact} secret keys, the secret
 * value type). Other transformations (hashing, compression, encryption, encodings not listed above,
 * a value split by a line-wrapping encoder, case changes) are not recognised.
 *
 * <p><b>Threads.</b> All methods are safe to call concurrently. After {@link #register} returns, every
 * masking call that starts afterwards, on any thread, masks the value. Registration is cheap; the next
 * masking call compiles everything registered since the previous one in one batch.
 */
public final class SecretMasker {

  /** The default mask token. */
  public static final String DEFAULT_TOKEN = "***";
  /** The default minimum length for a value to be matched in free text. */
  public static final int DEFAULT_MINIMUM_LENGTH = 4;
  /** Fixpoint passes when forms contain token characters and the token is not shorter than them. */
  private static final int MAX_PASSES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(SecretMasker.class);
  private static final SecretMasker SHARED = new SecretMasker();

  private final String token;
  private final int minimumLength;
  private final SecretRegistry registry;

  /** A masker with the default token {@value #DEFAULT_TOKEN} and minimum length 4. */
  public SecretMasker() {
    this(builder());
  }

  private SecretMasker(Builder builder) {
    this.token = builder.token;
    this.minimumLength = builder.minimumLength;
    this.registry = new SecretRegistry(minimumLength, token);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The process-wide masker that the Logback integration and {@link SystemStreamMasking} use unless
   * given another one. A host that wants its log output masked registers its secrets here (or hands
   * this instance to its resolver).
   */
  public static SecretMasker shared() {
    return SHARED;
  }

  /**
   * Registers a secret value (and its derived forms) to be masked from now on.
   *
   * @param secret the value; must not be null
   * @return {@code true} if the value is matched in free text; {@code false} if it is shorter than the
   *     minimum length, in which case one warning is logged that states the lengths but not the value
   */
  public boolean register(CharSequence secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    if (secret.length() < minimumLength) {
      LOG.warn("A secret of {} characters is shorter than the free-text minimum of {} and will not"
          + " be masked in free text; it is still redacted where it is typed as a secret",
          secret.length(), minimumLength);
      return false;
    }
    registry.add(secret.toString());
    return true;
  }

  /**
   * Returns {@code text} with every registered value and derived form replaced by the token. If
   * nothing matches and {@code text} is a {@link String}, returns that same instance.
   */
  public String mask(CharSequence text) {
    Objects.requireNonNull(text, "text must not be null");
    String s = text.toString();
    CompiledSecrets compiled = registry.current();
    if (compiled.isEmpty() || !compiled.matchesAnywhere(s)) {
      return s;
    }
    String masked = maskHits(s, compiled);
    // A form containing token characters can appear anew across a token; repeat to a fixpoint.
    // Each pass shortens the text when every form is longer than the token, so this terminates.
    int passes = token.length() < minimumLength ? Integer.MAX_VALUE : MAX_PASSES;
    for (int pass = 1; compiled.tokenSensitive() && pass < passes; pass++) {
      if (!compiled.matchesAnywhere(masked)) {
        break;
      }
      masked = maskHits(masked, compiled);
    }
    return masked;
  }

  private String maskHits(String text, CompiledSecrets compiled) {
    char[] chars = text.toCharArray();
    HitList hits = new HitList();
    compiled.scan(chars, 0, chars.length, compiled.newStates(), hits);
    hits.normalize();
    return hits.apply(text, token);
  }

  /**
   * A writer that masks what passes through it before it reaches {@code out}. A secret split across
   * writes is still masked: the writer holds back only a trailing fragment that could still grow
   * into a registered form (fewer characters than the longest form), and writes it on the next
   * write, at a line end (also a lone carriage return) when the fragment cannot continue, on
   * {@link Writer#flush()} and on close. Line ends and {@code flush()} flush {@code out}.
   *
   * <p>{@code flush()} forwards everything, including a fragment that might have become a secret;
   * write whole values between flushes.
   */
  public Writer maskingWriter(Writer out) {
    return new MaskingWriter(Objects.requireNonNull(out, "out must not be null"), registry, token);
  }

  /**
   * An output stream that decodes bytes with {@code charset}, masks like {@link #maskingWriter} and
   * encodes the result to {@code out}. Multi-byte sequences split across writes are reassembled;
   * malformed input is replaced by U+FFFD.
   */
  public OutputStream maskingStream(OutputStream out, Charset charset) {
    Objects.requireNonNull(out, "out must not be null");
    Objects.requireNonNull(charset, "charset must not be null");
    return new MaskingOutputStream(charset, maskingWriter(new OutputStreamWriter(out, charset)));
  }

  /**
   * Returns {@code throwable} with registered values masked in the messages of it, its causes and
   * its suppressed exceptions. Class names and stack frames are kept: a throwable that needs masking
   * is replaced by a {@link MaskedException} that prints as the original class. Throwables with
   * nothing to mask are returned as they are (the same instance if nothing in the tree needs masking).
   * Cause and suppression cycles are cut. Returns null for null.
   */
  public Throwable sanitize(Throwable throwable) {
    return throwable == null ? null : new ThrowableSanitizer(this).sanitize(throwable);
  }

  /**
   * Returns a copy of {@code json} with registered values masked in every string (and field name,
   * number or other scalar), and the whole value of every field named in {@code secretKeys}
   * (compared ignoring case, at any depth) replaced by the token whatever its length or type. The
   * input is not modified.
   */
  public JsonNode redact(JsonNode json, Set<String> secretKeys) {
    Objects.requireNonNull(secretKeys, "secretKeys must not be null");
    return json == null ? null : new JsonRedactor(this, secretKeys).redact(json);
  }

  /** The token that replaces each masked run. */
  public String token() {
    return token;
  }

  /** The shortest value that {@link #register} matches in free text. */
  public int minimumLength() {
    return minimumLength;
  }

  /** The number of distinct values registered for free-text matching. */
  public int registeredCount() {
    return registry.size();
  }

  /** Approximate heap retained by the compiled matcher (for sizing and benchmarks). */
  public long matcherRetainedBytes() {
    return registry.current().retainedBytes();
  }

  @Override
  public String toString() {
    return "SecretMasker[token=" + token + ", minimumLength=" + minimumLength + ", registered="
        + registry.size() + "]";
  }

  /** Settings for a {@link SecretMasker}. */
  public static final class Builder {
    private String token = DEFAULT_TOKEN;
    private int minimumLength = DEFAULT_MINIMUM_LENGTH;

    private Builder() {}

    /** The text that replaces each masked run; default {@value SecretMasker#DEFAULT_TOKEN}. */
    public Builder maskToken(String token) {
      Objects.requireNonNull(token, "token must not be null");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
      this.token = token;
      return this;
    }

    /**
     * The shortest value (and derived form) matched in free text; default 4, at least 1. Keep it
     * longer than the token: then masking always shortens what it replaces and is idempotent even for
     * values that contain token characters.
     */
    public Builder minimumLength(int minimumLength) {
      if (minimumLength < 1) {
        throw new IllegalArgumentException("minimumLength must be at least 1 but was " + minimumLength);
      }
      this.minimumLength = minimumLength;
      return this;
    }

    public SecretMasker build() {
      return new SecretMasker(this);
    }
  }
}
