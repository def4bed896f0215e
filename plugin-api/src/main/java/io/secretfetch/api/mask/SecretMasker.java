package io.secretfetch.api.mask;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.mask.internal.ByteTexts;
import io.secretfetch.api.mask.internal.CompiledSecrets;
import io.secretfetch.api.mask.internal.DecodedText;
import io.secretfetch.api.mask.internal.HitList;
import io.secretfetch.api.mask.internal.SecretRegistry;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p><b>Mixed escapes.</b> A text holding an escape character ({@code &}, {@code %} or a backslash)
 * is also read through a decoding view: numeric character references (decimal and hex, any leading
 * zeros, {@code x} or {@code X}), XML and common HTML named references, percent-escapes (a run that
 * forms one UTF-8 character) and <code>&#92;uXXXX</code> escapes are decoded one level deep, the
 * automaton runs over the result, and each hit masks the whole escaped span of the original. So a
 * value is found however a template engine or an attacker mixes escaped and literal characters
 * ({@code &#97;dmin&#X2D;p&amp;ss}, {@code %61dmin}); a text without escape characters costs nothing
 * extra.
 *
 * <p><b>Checks for guards.</b> {@link #containsSecret(CharSequence)} says whether {@code mask} would
 * change a text; {@link #containsSecret(byte[])} asks the same of bytes read as UTF-8 (and Java's
 * modified UTF-8), ISO-8859-1, and UTF-16BE/LE at both byte alignments; {@link #isWholeSecret} says
 * whether a text as a whole is a registered value of any length, short ones included. A guard refuses
 * long values anywhere and short values only where they stand whole.
 *
 * <p><b>How.</b> All forms of all values are compiled into one Aho–Corasick automaton, so masking reads
 * each character once whatever the number of registered values, and a text without a hit (and without
 * an escape that decodes) is returned as the same instance without allocating anything.
 *
 * <p><b>What it does not reach.</b> Values shorter than the {@linkplain Builder#minimumLength minimum
 * length} (default 4) are not matched in free text, because masking every "abc" would make logs
 * useless; {@link #register} returns {@code false} for them, remembers them for {@link
 * #isWholeSecret} only, and logs one warning per label naming the label, never the value. They are
 * still redacted where they are typed as secrets ({@link #redact} secret keys, the secret value
 * type). Blank values are not registered. Other transformations (hashing, compression, encryption,
 * encodings not listed above, escapes nested two levels deep such as {@code &amp;#97;}, a value split
 * by a line-wrapping encoder, case changes) are not recognised. The decoding view serves {@link
 * #mask}, {@link #sanitize}, {@link #redact} and the checks; the streams ({@link #maskingWriter},
 * {@link #maskingStream}) match the whole-value forms only.
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
  /**
   * The default shortest value that {@link #containsSecret} reports anywhere in a text: 9, so that
   * short or common values ({@code admin}, {@code 1234}, {@code postgres}) make a guard refuse only
   * the value as a whole, never a word or URL that contains it.
   */
  public static final int DEFAULT_CHECK_MINIMUM_LENGTH = 9;
  /** Fixpoint passes when forms contain token characters and the token is not shorter than them. */
  private static final int MAX_PASSES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(SecretMasker.class);
  private static final SecretMasker SHARED = new SecretMasker();

  private final String token;
  private final int minimumLength;
  private final SecretRegistry registry;
  private final int checkMinimumLength;
  /** What {@link #containsSecret} matches: the values of at least checkMinimumLength. */
  private final SecretRegistry checked;
  /** Labels whose short-value warning has been logged: once per label. */
  private final Set<String> warnedLabels = ConcurrentHashMap.newKeySet();

  /** A masker with the default token {@value #DEFAULT_TOKEN} and minimum length 4. */
  public SecretMasker() {
    this(builder());
  }

  private SecretMasker(Builder builder) {
    this.token = builder.token;
    this.minimumLength = builder.minimumLength;
    this.registry = new SecretRegistry(minimumLength, token);
    this.checkMinimumLength = Math.max(minimumLength, builder.checkMinimumLength);
    this.checked = checkMinimumLength == minimumLength
        ? registry : new SecretRegistry(checkMinimumLength, token);
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
   * Registers a secret value (and its derived forms) to be masked from now on; the same as {@link
   * #register(CharSequence, String)} without a label.
   */
  public boolean register(CharSequence secret) {
    return register(secret, null);
  }

  /**
   * Registers a secret value (and its derived forms) to be masked from now on.
   *
   * <p>A value shorter than the {@linkplain #minimumLength() minimum length} is not matched in free
   * text; it is remembered for {@link #isWholeSecret} only, and one warning per label (per value
   * without a label) says so, naming the label and never the value. An empty or blank value is not
   * registered at all: it would match every empty text.
   *
   * @param secret the value; must not be null
   * @param label what the value is, for the warning: a secret reference such as {@code
   *     platform:db-pass@2}, never the value; may be null
   * @return {@code true} if the value is matched in free text; {@code false} if it is shorter than
   *     the minimum length (or blank)
   */
  public boolean register(CharSequence secret, String label) {
    Objects.requireNonNull(secret, "secret must not be null");
    String value = secret.toString();
    if (value.isBlank()) {
      if (label == null || warnedLabels.add(label)) {
        LOG.warn("{} is empty or blank; it is not masked anywhere",
            label == null ? "A secret" : "secret " + label);
      }
      return false;
    }
    if (value.length() < minimumLength) {
      boolean fresh = registry.addWholeOnly(value);
      if (label != null ? warnedLabels.add(label) : fresh) {
        if (label == null) {
          LOG.warn("A secret of {} characters is shorter than the free-text minimum of {}; it is"
              + " masked only where it stands as a whole value", value.length(), minimumLength);
        } else {
          LOG.warn("secret {} is shorter than the free-text minimum of {}; it is masked only where"
              + " it stands as a whole value", label, minimumLength);
        }
      }
      return false;
    }
    boolean fresh = registry.add(value);
    if (value.length() >= checkMinimumLength) {
      if (checked != registry) {
        checked.add(value);
      }
    } else if (label != null ? warnedLabels.add(label) : fresh) {
      LOG.warn("{} is shorter than {} characters; it is masked in free text, but the guards refuse"
          + " it only where it stands as a whole value", label == null ? "A secret" : "secret "
          + label, checkMinimumLength);
    }
    return true;
  }

  /**
   * Whether {@code text} holds a registered value, or a derived form of one, that {@link #mask}
   * would replace: values of at least the {@linkplain Builder#checkMinimumLength check minimum
   * length} (default 9), anywhere in the text, also written with mixed escapes. Shorter values are
   * not reported here, so a guard does not refuse a word that contains one; ask {@link
   * #isWholeSecret}. Allocates nothing
   * for a text without a hit and without escape characters.
   */
  public boolean containsSecret(CharSequence text) {
    Objects.requireNonNull(text, "text must not be null");
    CompiledSecrets compiled = checked.current();
    return !compiled.isEmpty() && matches(text.toString(), compiled);
  }

  /**
   * Whether {@code bytes} hold a registered value (of at least the check minimum length) or a derived form
   * of one, read as UTF-8 (also Java's modified UTF-8, as in a serialized {@code String}),
   * ISO-8859-1, and UTF-16 big- and little-endian at both byte alignments (a serialized {@code
   * char[]} holds UTF-16BE). For guards over byte array columns; a binary secret is found only in
   * its base64 form.
   */
  public boolean containsSecret(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes must not be null");
    return containsSecret(bytes, 0, bytes.length);
  }

  /** {@link #containsSecret(byte[])} over {@code bytes[offset, offset + length)}. */
  public boolean containsSecret(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    CompiledSecrets compiled = checked.current();
    return !compiled.isEmpty()
        && ByteTexts.anyReading(bytes, offset, length, text -> matches(text, compiled));
  }

  /**
   * Whether {@code text} as a whole is a registered value of any length, short ones included: the
   * check a guard applies to identifiers, where a short secret such as {@code admin} must not be
   * stored but the word inside a longer text is fine. Also true when the text equals a value after
   * stripping leading and trailing whitespace ({@link String#strip()}; a value that itself begins
   * or ends with whitespace matches exactly), or after decoding its escapes (see {@link #mask}).
   */
  public boolean isWholeSecret(CharSequence text) {
    Objects.requireNonNull(text, "text must not be null");
    String s = text.toString();
    if (registry.isWhole(s)) {
      return true;
    }
    String stripped = s.strip();
    if (stripped.length() != s.length() && registry.isWhole(stripped)) {
      return true;
    }
    if (!DecodedText.mayContainEscapes(s)) {
      return false;
    }
    DecodedText decoded = DecodedText.of(s);
    return decoded != null
        && (registry.isWhole(decoded.text()) || registry.isWhole(decoded.text().strip()));
  }

  /**
   * Returns {@code text} with every registered value and derived form replaced by the token. If
   * nothing matches and {@code text} is a {@link String}, returns that same instance.
   */
  public String mask(CharSequence text) {
    Objects.requireNonNull(text, "text must not be null");
    String s = text.toString();
    CompiledSecrets compiled = registry.current();
    if (compiled.isEmpty() || !matches(s, compiled)) {
      return s;
    }
    String masked = maskHits(s, compiled);
    // A form containing token characters can appear anew across a token, and an escape can
    // complete anew next to one; repeat to a fixpoint. Each pass shortens the text when every form
    // is longer than the token, so this terminates.
    int passes = token.length() < minimumLength ? Integer.MAX_VALUE : MAX_PASSES;
    for (int pass = 1; pass < passes && matches(masked, compiled); pass++) {
      masked = maskHits(masked, compiled);
    }
    return masked;
  }

  /** Whether a form occurs in {@code s} or in its decoding view; allocates nothing without escapes. */
  private static boolean matches(String s, CompiledSecrets compiled) {
    if (compiled.matchesAnywhere(s)) {
      return true;
    }
    if (!DecodedText.mayContainEscapes(s)) {
      return false;
    }
    DecodedText decoded = DecodedText.of(s);
    return decoded != null && compiled.matchesAnywhere(decoded.text());
  }

  private String maskHits(String text, CompiledSecrets compiled) {
    char[] chars = text.toCharArray();
    HitList hits = new HitList();
    compiled.scan(chars, 0, chars.length, compiled.newStates(), hits);
    DecodedText decoded = DecodedText.mayContainEscapes(text) ? DecodedText.of(text) : null;
    if (decoded != null) {
      // Hits in the decoding view mask the whole escaped span of the original they came from.
      char[] view = decoded.text().toCharArray();
      HitList inView = new HitList();
      compiled.scan(view, 0, view.length, compiled.newStates(), inView);
      for (int i = 0; i < inView.size(); i++) {
        hits.add(decoded.sourceStart(inView.start(i)), decoded.sourceEnd(inView.end(i)), false);
      }
    }
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

  /** The shortest value that {@link #containsSecret} reports anywhere in a text. */
  public int checkMinimumLength() {
    return checkMinimumLength;
  }

  /** The number of distinct values registered for free-text matching. */
  public int registeredCount() {
    return registry.size();
  }

  /** The number of distinct values below the minimum length, matched only as a whole. */
  public int wholeOnlyCount() {
    return registry.wholeOnlySize();
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
    private int checkMinimumLength = DEFAULT_CHECK_MINIMUM_LENGTH;

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

    /**
     * The shortest value {@link #containsSecret} (the guards' check) reports anywhere in a text;
     * default {@value SecretMasker#DEFAULT_CHECK_MINIMUM_LENGTH}, at least the minimum length.
     * Masking is not affected: a value between the two is masked in free text, but a guard refuses
     * it only as a whole value ({@link #isWholeSecret}). Values at least this long are compiled
     * twice when it exceeds the minimum length.
     */
    public Builder checkMinimumLength(int checkMinimumLength) {
      if (checkMinimumLength < 1) {
        throw new IllegalArgumentException(
            "checkMinimumLength must be at least 1 but was " + checkMinimumLength);
      }
      this.checkMinimumLength = checkMinimumLength;
      return this;
    }

    public SecretMasker build() {
      return new SecretMasker(this);
    }
  }
}
