package io.secretfetch.camunda.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A unique secret and the forms it could leak in, with scanners for databases and logs. */
public final class Canary {
  private final String value;
  private final Map<String, String> forms = new LinkedHashMap<>();

  public Canary() {
    // Characters that change under each encoding: '/', '"', '\', '+', '&', '=', ' ', non-ASCII.
    this.value = "cnry-" + UUID.randomUUID().toString().substring(0, 13) + "/\"q\\+&= é";
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    forms.put("raw", value);
    forms.put("percent", URLEncoder.encode(value, StandardCharsets.UTF_8));
    forms.put("percent-%20", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    forms.put("json", new String(JsonStringEncoder.getInstance().quoteAsString(value)));
    // base64 at each of the three alignments: the characters that do not depend on neighbours.
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[bytes.length + shift];
      System.arraycopy(bytes, 0, shifted, shift, bytes.length);
      String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      String core = std.substring(shift == 0 ? 0 : 4, std.length() - 4);
      forms.put("base64@" + shift, core);
      forms.put("base64url@" + shift, core.replace('+', '-').replace('/', '_'));
    }
  }

  public String value() {
    return value;
  }

  public Map<String, String> forms() {
    return forms;
  }

  /** The forms of the canary found in {@code text}, by name. */
  public Set<String> findIn(String text) {
    Set<String> hits = new LinkedHashSet<>();
    forms.forEach((name, form) -> {
      if (text.contains(form)) {
        hits.add(name);
      }
    });
    return hits;
  }

  /** Every hit of any of {@code needles} in any column of any table: "TABLE.COLUMN: form". */
  public static List<String> scanDatabase(Connection c, Map<String, String> needles, String schema)
      throws SQLException {
    List<String> hits = new ArrayList<>();
    DatabaseMetaData md = c.getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    if (tables.isEmpty()) {
      throw new IllegalStateException("no tables found in schema " + schema);
    }
    for (String table : tables) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select * from " + quote(schema) + "." + quote(table))) {
        ResultSetMetaData m = rs.getMetaData();
        while (rs.next()) {
          for (int i = 1; i <= m.getColumnCount(); i++) {
            String text = columnText(rs, i, m.getColumnType(i));
            if (text == null) {
              continue;
            }
            for (Map.Entry<String, String> n : needles.entrySet()) {
              if (text.contains(n.getValue())) {
                hits.add(table + "." + m.getColumnName(i) + ": " + n.getKey());
              }
            }
          }
        }
      }
    }
    return hits;
  }

  private static String columnText(ResultSet rs, int i, int type) throws SQLException {
    return switch (type) {
      case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
        byte[] b = rs.getBytes(i);
        yield b == null ? null : new String(b, StandardCharsets.UTF_8)
            + "\n" + new String(b, StandardCharsets.ISO_8859_1);
      }
      default -> rs.getString(i);
    };
  }

  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
