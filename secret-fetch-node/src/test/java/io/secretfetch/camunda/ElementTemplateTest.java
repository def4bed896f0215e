package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The element template binds exactly the delegate's fields. (Its validity against the official
 * schema is checked by the build: see the exec-maven-plugin executions of this module.)
 */
class ElementTemplateTest {
  @Test
  void bindsTheDelegateClassAndExactlyItsFields() throws Exception {
    JsonNode template;
    try (InputStream in = getClass().getResourceAsStream("/element-templates/secret-fetch.json")) {
      template = new ObjectMapper().readTree(in);
    }
    List<String> fields = new ArrayList<>();
    String implementation = null;
    for (JsonNode p : template.get("properties")) {
      JsonNode binding = p.get("binding");
      if ("camunda:field".equals(binding.get("type").asText())) {
        fields.add(binding.get("name").asText());
      } else if ("camunda:class".equals(binding.get("name").asText())) {
        implementation = p.get("value").asText();
      }
    }
    assertThat(implementation).isEqualTo(SecretFetchDelegate.CLASS_NAME);
    assertThat(fields).containsExactly(
        "provider", "secretName", "version", "outputFormat", "field", "resultVariable");
    assertThat(template.get("appliesTo").get(0).asText()).isEqualTo("bpmn:ServiceTask");
  }
}
