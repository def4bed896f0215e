package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.testing.FakeAws;
import io.secretfetch.aws.testing.FakeAws.Fault;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replica regions are tried in order when the primary is unavailable, and only then. */
class FailoverTest {
  private static final SecretContext CTX = SecretContext.system();

  private final Fixture f = new Fixture("eu-west-1");
  private final FakeAws replica1 = FakeAws.start("eu-central-1");
  private final FakeAws replica2 = FakeAws.start("us-east-1");

  FailoverTest() {
    for (FakeAws r : List.of(replica1, replica2)) {
      r.acceptKey(Fixture.ACCESS_KEY_ID, Fixture.SECRET_ACCESS_KEY);
    }
    f.with(AwsOptions.REPLICA_REGIONS, "eu-central-1, us-east-1")
        .with("endpoint.eu-central-1", replica1.uri().toString())
        .with("endpoint.us-east-1", replica2.uri().toString());
  }

  @AfterEach
  void close() {
    f.close();
    replica1.close();
    replica2.close();
  }

  private SecretValue fetch(String ref) {
    return f.provider().fetch(SecretRef.parse(ref), CTX);
  }

  @Test
  void unavailablePrimaryFailsOverToTheFirstReplica() {
    f.aws.putString("prod/db", "primary");
    replica1.putString("prod/db", "replica");
    f.aws.failAlways(Fault.error(500, "InternalServiceError", null));

    try (SecretValue v = fetch("aws:prod/db")) {
      assertThat(v.reveal()).isEqualTo("replica");
    }
    assertThat(f.aws.count("GetSecretValue")).as("SDK retries first").isEqualTo(3);
    assertThat(replica1.count("GetSecretValue")).isEqualTo(1);
    assertThat(replica1.last("GetSecretValue").signingRegion()).isEqualTo("eu-central-1");
    assertThat(replica1.last("GetSecretValue").json().path("VersionStage").asText())
        .isEqualTo("AWSCURRENT");
    assertThat(replica2.count("GetSecretValue")).isZero();
  }

  @Test
  void replicasAreTriedInOrder() {
    replica2.putString("prod/db", "second replica");
    f.aws.failAlways(Fault.drop());
    replica1.failAlways(Fault.error(503, null, null));

    try (SecretValue v = fetch("aws:prod/db")) {
      assertThat(v.reveal()).isEqualTo("second replica");
    }
    assertThat(replica1.count("GetSecretValue")).isEqualTo(3);
    assertThat(replica2.count("GetSecretValue")).isEqualTo(1);
  }

  @Test
  void anArnIsRewrittenToTheReplicasRegion() {
    f.aws.putString("prod/db", "primary");
    replica1.putString("prod/db", "replica");
    String arn = f.aws.arn("prod/db");
    f.aws.failAlways(Fault.error(500, "InternalServiceError", null));

    try (SecretValue v = fetch("aws:" + arn)) {
      assertThat(v.reveal()).isEqualTo("replica");
    }
    assertThat(replica1.last("GetSecretValue").json().path("SecretId").asText())
        .isEqualTo(arn.replace(":eu-west-1:", ":eu-central-1:"));
  }

  @Test
  void allRegionsDownIsProviderUnavailable() {
    for (FakeAws r : List.of(f.aws, replica1, replica2)) {
      r.failAlways(Fault.error(500, "InternalServiceError", null));
    }
    SecretException e = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));
    assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
    assertThat(e.getMessage()).contains("us-east-1");
  }

  @Test
  void notFoundAccessDeniedAndThrottlingDoNotFailOver() {
    replica1.putString("prod/db", "replica");
    SecretException missing = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));
    assertThat(missing.error()).isEqualTo(SecretError.NOT_FOUND);

    f.aws.putString("prod/db", "primary");
    f.aws.deny("prod/db");
    SecretException denied = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));
    assertThat(denied.error()).isEqualTo(SecretError.ACCESS_DENIED);

    f.aws.failAlways(Fault.error(400, "ThrottlingException", "Rate exceeded"));
    SecretException throttled = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));
    assertThat(throttled.error()).isEqualTo(SecretError.THROTTLED);

    assertThat(replica1.requests()).isEmpty();
    assertThat(replica2.requests()).isEmpty();
  }

  @Test
  void checkAndListFailOverToo() {
    replica1.putString("prod/db", "replica");
    f.aws.failAlways(Fault.error(500, "InternalServiceError", null));

    Map<SecretRef, SecretCheck> checks =
        f.provider().check(List.of(SecretRef.parse("aws:prod/db")), CTX);
    assertThat(checks.values()).allMatch(SecretCheck::isOk);
    assertThat(replica1.count("BatchGetSecretValue")).isEqualTo(1);

    assertThat(f.provider().list("prod/", CTX)).extracting(s -> s.name()).containsExactly("prod/db");
    assertThat(replica1.count("ListSecrets")).isEqualTo(1);
  }
}
