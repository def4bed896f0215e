package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SecretRefPropertiesTest {

  @Property(tries = 2000)
  void formatThenParseIsIdentity(@ForAll("refs") SecretRef ref) {
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Property(tries = 2000)
  void parseEitherRejectsOrRoundTrips(@ForAll("texts") String text) {
    SecretRef.tryParse(text)
        .ifPresent(ref -> assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref));
  }

  @Provide
  Arbitrary<SecretRef> refs() {
    Arbitrary<String> provider =
        Arbitraries.oneOf(
            Arbitraries.just(null),
            Arbitraries.of("aws", "vault", "platform"),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8));
    Arbitrary<String> name =
        Arbitraries.oneOf(
            component(),
            Arbitraries.of(
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
                "secret/data/team a/api",
                "user@example.com#1",
                "100% ready",
                "пароль/密码/🔑"));
    Arbitrary<String> optional = Arbitraries.oneOf(Arbitraries.just(null), component());
    return Combinators.combine(provider, name, optional, optional).as(SecretRef::new);
  }

  /** Any text a component may hold: interior spaces, reserved characters, non-ASCII. */
  private Arbitrary<String> component() {
    Arbitrary<Character> inner =
        Arbitraries.oneOf(
            Arbitraries.chars().range('!', '~'),
            Arbitraries.of(' ', '@', '#', '%', ':', '/', 'é', '密', '\u00a0'),
            Arbitraries.chars().range('\u0100', '\uD7FF'));
    Arbitrary<Character> edge =
        Arbitraries.oneOf(
            Arbitraries.chars().range('!', '~'), Arbitraries.of('é', '@', '#', '%'));
    return Combinators.combine(edge, inner.list().ofMaxSize(20), edge)
        .as(
            (first, middle, last) -> {
              StringBuilder sb = new StringBuilder().append(first);
              middle.forEach(sb::append);
              return sb.append(last).toString();
            })
        .filter(SecretRefPropertiesTest::valid);
  }

  private static boolean valid(String s) {
    try {
      new SecretRef(null, s, null, null);
      return true;
    } catch (SecretException e) {
      return false;
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withChars("abcAZ:@#%/ 3é\n0F")
        .ofMaxLength(24);
  }
}
