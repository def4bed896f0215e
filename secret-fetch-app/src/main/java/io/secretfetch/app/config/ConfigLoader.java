package io.secretfetch.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.secretfetch.api.SecretException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads {@link AppConfig} from YAML; every mistake names the file, line and setting. */
public final class ConfigLoader {
  // A setting given twice is refused (YAML readers disagree on which one wins).
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .registerModule(new JavaTimeModule())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  public static AppConfig load(Path file) {
    try {
      AppConfig config = YAML.readValue(Files.readString(file), AppConfig.class);
      return config == null ? AppConfig.defaults() : config;
    } catch (NoSuchFileException e) {
      throw error(file + " does not exist", "Give the path of an existing configuration file"
          + " (see secret-fetch-app/secret-fetch.example.yaml).");
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      throw error(file + where(e.getLocation()) + ": unknown setting '" + e.getPropertyName()
          + "' in " + path(e), "Use one of: " + known + ".");
    } catch (JsonProcessingException e) {
      String duplicate = duplicateKey(e);
      if (duplicate != null) {
        throw error(file + where(e.getLocation()) + ": the setting '" + duplicate
            + "' is given twice", "Keep one '" + duplicate + "' and remove the other; which one"
            + " was meant is not guessed.");
      }
      throw error(file + where(e.getLocation()) + ": " + e.getOriginalMessage()
          .replaceAll("\\s+", " "), "Correct the setting at " + path(e) + "; the README's"
          + " configuration section lists every setting.");
    } catch (IOException e) {
      throw error(file + " cannot be read (" + e.getClass().getSimpleName() + ")",
          "Check the path and its permissions.");
    }
  }

  /** The dotted path of a key given twice, or null for any other failure. Names keys only. */
  private static String duplicateKey(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser p) || p.getParsingContext() == null) {
      return null;
    }
    String key = p.getParsingContext().getCurrentName();
    // Jackson has no exception type of its own for this; its message is exactly this text.
    if (key == null || !("Duplicate field '" + key + "'").equals(e.getOriginalMessage())) {
      return null;
    }
    java.util.Deque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      chain.push(c);
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c : chain) {
      if (c.inArray()) {
        path.append('[').append(c.getCurrentIndex()).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
      }
    }
    return path.toString();
  }

  private static String where(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : " line " + loc.getLineNr();
  }

  private static String path(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m
        && !m.getPath().isEmpty()) {
      return m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
    }
    return "the top level";
  }

  private static SecretException error(String detail, String remedy) {
    return SecretException.configuration(detail, remedy);
  }
}
