package com.llmchat.identity.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import org.junit.jupiter.api.Test;

class DirectorySettingsTest {

  private static DirectorySettings openLdap() {
    return DirectorySettings.openLdap("Corp", "ldap://ldap.corp.test:389", "dc=corp,dc=test");
  }

  @Test
  void thePresetsAreValid() {
    DirectorySettings valid = openLdap().validated();
    assertEquals("Corp", valid.name());
    assertEquals(GroupMode.SEARCH, valid.groupMode());
    DirectorySettings ad =
        DirectorySettings.activeDirectory("AD", "ldaps://dc1.corp.test", "DC=corp,DC=test")
            .validated();
    assertEquals("sAMAccountName", ad.usernameAttribute());
    assertEquals(GroupMode.MEMBER_OF, ad.groupMode());
  }

  private static String refusal(DirectorySettings settings) {
    return assertThrows(IllegalArgumentException.class, settings::validated).getMessage();
  }

  @Test
  void eachBadValueIsNamed() {
    DirectorySettings s = openLdap();
    assertTrue(refusal(with(s, "url", "http://x")).contains("ldap://"));
    assertTrue(refusal(with(s, "url", "ldaps://x:636")).contains("startTls"));
    assertTrue(refusal(with(s, "userBase", "not a dn")).startsWith("userBase"));
    assertTrue(refusal(with(s, "userFilter", "(uid=alice)")).contains("{0}"));
    assertTrue(refusal(with(s, "userFilter", "(uid={0}")).startsWith("userFilter"));
    assertTrue(refusal(with(s, "usernameAttribute", "uid;x")).startsWith("usernameAttribute"));
    assertTrue(refusal(with(s, "name", "")).startsWith("name"));
    assertTrue(refusal(with(s, "caCertificates", "not pem")).startsWith("caCertificates"));
  }

  /** The settings with one value replaced (ldaps with startTls for "url"+"ldaps"). */
  private static DirectorySettings with(DirectorySettings s, String field, String value) {
    return new DirectorySettings(
        field.equals("name") ? value : s.name(),
        s.enabled(),
        s.position(),
        field.equals("url") ? value : s.url(),
        field.equals("url") && value.startsWith("ldaps"),
        field.equals("caCertificates") ? value : s.caCertificates(),
        s.bindDn(),
        field.equals("userBase") ? value : s.userBase(),
        field.equals("userFilter") ? value : s.userFilter(),
        field.equals("usernameAttribute") ? value : s.usernameAttribute(),
        s.displayNameAttribute(),
        s.emailAttribute(),
        s.disabledFilter(),
        s.groupMode(),
        s.groupAttribute(),
        s.groupBase(),
        s.groupFilter(),
        s.groupNameAttribute(),
        s.nestedGroups());
  }
}
