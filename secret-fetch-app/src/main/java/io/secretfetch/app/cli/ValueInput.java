package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a secret value comes from: {@code @FILE}, {@code -} (standard input), or, without
 * {@code --value}, a no-echo prompt on a terminal or standard input when piped. Never from an
 * argument, which would land in the shell history. One trailing line break is removed.
 */
final class ValueInput {
  static final String OPTION_HELP = "Where the value comes from: @FILE or - (standard input)."
      + " Without it: a no-echo prompt on a terminal, else standard input. Never the value itself.";
  private static final int MAX_BYTES = 1024 * 1024;

  private ValueInput() {}

  /** Reads the value; the caller wipes the array. */
  static char[] read(String source, InputStream stdin, String prompt) {
    if (source == null) {
      Console console = System.console();
      if (console != null) {
        char[] typed = console.readPassword("%s: ", prompt);
        if (typed == null || typed.length == 0) {
          throw new CliException(ExitCodes.USAGE, "no value was entered",
              "Type the value at the prompt, or pass --value @FILE or --value -.");
        }
        return typed;
      }
      return decode(readAll(stdin, "standard input"), "standard input");
    }
    return decode(readBytes(source, stdin), source.equals("-") ? "standard input"
        : source.substring(1));
  }

  /**
   * The raw bytes of {@code @FILE} or {@code -} (standard input), e.g. a bindings profile; the
   * caller wipes them. Anything else is refused without being echoed: it may be a value.
   */
  static byte[] readBytes(String source, InputStream stdin) {
    if (source.equals("-")) {
      return readAll(stdin, "standard input");
    }
    if (source.startsWith("@") && source.length() > 1) {
      Path file = Path.of(source.substring(1));
      try (InputStream in = Files.newInputStream(file)) {
        return readAll(in, file.toString());
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.USAGE, "the file " + file + " does not exist",
            "Give an existing file after @, e.g. @./api-key.txt.");
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "the file " + file + " cannot be read ("
            + e.getClass().getSimpleName() + ")", "Check the path and its permissions.");
      }
    }
    throw new CliException(ExitCodes.USAGE,
        "values are taken from @FILE or - (standard input), never from the argument itself",
        "Put the value in a file (@FILE), pipe it (-), or omit --value to be prompted; then"
            + " clear the value from your shell history.");
  }

  private static byte[] readAll(InputStream in, String what) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) >= 0) {
        buf.write(chunk, 0, n);
        if (buf.size() > MAX_BYTES) {
          throw new CliException(ExitCodes.USAGE, what + " holds more than " + MAX_BYTES
              + " bytes", "Secrets are small; check that the right file is given.");
        }
      }
      return buf.toByteArray();
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, what + " cannot be read ("
          + e.getClass().getSimpleName() + ")", "Check the input and retry.");
    }
  }

  private static char[] decode(byte[] bytes, String what) {
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    try {
      if (end == 0) {
        throw new CliException(ExitCodes.USAGE, what + " is empty",
            "Provide a non-empty value, or use --generate.");
      }
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new CliException(ExitCodes.USAGE, what + " is not UTF-8 text",
          "Store text values; encode binary values as base64 first.");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
