package io.secretfetch.api.manifest;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;

/**
 * A manifest or bindings profile that cannot be read: which file, where in it (a JSON pointer, or a
 * line and column for broken JSON), what is wrong and how to fix it. Code {@link
 * SecretError#INVALID_INPUT}. The message never quotes a value from the file.
 */
public final class ManifestException extends SecretException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String location;

  /**
   * @param source the file (or other source) read, e.g. {@code bundle/secret-manifest.json}
   * @param location a JSON pointer ({@code /slots/2/slot}) or {@code line 4, column 7}; empty for
   *     the whole document
   * @param problem what is wrong, value-free
   * @param fix one sentence saying what to do
   */
  public ManifestException(String source, String location, String problem, String fix) {
    super(SecretError.INVALID_INPUT, null,
        source + (location.isEmpty() ? "" : " at " + location) + ": " + problem, fix);
    this.source = source;
    this.location = location;
  }

  /** The file (or other source) read. */
  public String source() {
    return source;
  }

  /** A JSON pointer or line and column; empty for the whole document. */
  public String location() {
    return location;
  }
}
