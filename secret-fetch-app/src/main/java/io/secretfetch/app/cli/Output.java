package io.secretfetch.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a command's result to stdout as text or as JSON ({@code --output json}): one JSON
 * document per command, so scripts can pipe it to {@code jq}. Results are value-free records.
 */
public final class Output {
  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private final PrintWriter out;
  private final SecretFetchCommand.Format format;

  Output(PrintWriter out, SecretFetchCommand.Format format) {
    this.out = out;
    this.format = format;
  }

  public boolean json() {
    return format == SecretFetchCommand.Format.json;
  }

  /** Prints {@code result} as JSON, or {@code text} in text mode. */
  public void print(Object result, String text) {
    if (json()) {
      try {
        out.println(JSON.writeValueAsString(result));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
    out.flush();
  }

  /** Prints a line in text mode only (progress notes, hints); JSON mode stays one document. */
  public void note(String line) {
    if (!json()) {
      out.println(line);
      out.flush();
    }
  }

  /** A table of rows under a header, columns padded to their widest cell. */
  public static String table(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] width = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        String cell = String.valueOf(row.get(i));
        sb.append(cell);
        if (i < row.size() - 1) {
          sb.append(" ".repeat(width[i] - cell.length() + 2));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code -} for null. */
  public static String cell(Object o) {
    return o == null ? "-" : o.toString();
  }
}
