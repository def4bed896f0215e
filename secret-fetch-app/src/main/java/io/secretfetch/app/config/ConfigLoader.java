package io.secretfetch.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads {@link AppConfig} from YAML; every mistake names the file, line and setting. */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
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
      throw error(file + where(e.getLocation()) + ": " + e.getOriginalMessage()
          .replaceAll("\\s+", " "), "Correct the setting at " + path(e) + "; the README's"
          + " configuration section lists every setting.");
    } catch (IOException e) {
      throw error(file + " cannot be read (" + e.getClass().getSimpleName() + ")",
          "Check the path and its permissions.");
    }
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
    return new SecretException(SecretError.CONFIGURATION, null, detail, remedy);
  }
}
