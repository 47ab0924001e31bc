package com.llmchat.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import com.llmchat.identity.entity.ProviderSettings;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator's LLMCHAT_LDAP_* and LLMCHAT_OIDC_* turn into. */
class PresetsTest {

  private static PresetDirectory directory(String kind) {
    PresetDirectory preset = new PresetDirectory();
    preset.url = Optional.of("ldaps://dc1.corp.test:636");
    preset.kind = kind;
    preset.name = "AD";
    preset.baseDn = Optional.of("DC=corp,DC=test");
    preset.userBase = Optional.empty();
    preset.userFilter = Optional.empty();
    preset.groupBase = Optional.empty();
    preset.groupFilter = Optional.empty();
    preset.caFile = Optional.empty();
    preset.bindDn = Optional.of("CN=svc,DC=corp,DC=test");
    preset.bindPasswordFile = Optional.empty();
    return preset;
  }

  @Test
  void theKindGivesItsUsualSettingsAndAGroupFilterAGroupSearch() {
    DirectorySettings ad = directory("active-directory").settings();
    assertEquals("sAMAccountName", ad.usernameAttribute());
    assertEquals(GroupMode.MEMBER_OF, ad.groupMode());
    assertEquals("CN=svc,DC=corp,DC=test", ad.bindDn());

    PresetDirectory openLdap = directory("openldap");
    openLdap.groupFilter = Optional.of("(&(objectClass=posixGroup)(memberUid={1}))");
    DirectorySettings ldap = openLdap.settings();
    assertEquals(GroupMode.SEARCH, ldap.groupMode());
    assertEquals("DC=corp,DC=test", ldap.groupBase());

    PresetDirectory wrong = directory("novell");
    assertTrue(
        assertThrows(IllegalStateException.class, wrong::settings)
            .getMessage()
            .contains("LLMCHAT_LDAP_KIND"));
    PresetDirectory noBase = directory("openldap");
    noBase.baseDn = Optional.empty();
    assertThrows(IllegalStateException.class, noBase::settings);
  }

  @Test
  void theIdentityProviderNeedsItsClientIdAndKeepsTheUsualClaims() {
    PresetIdentityProvider preset = new PresetIdentityProvider();
    preset.issuer = Optional.of("https://sso.corp.test/realms/staff");
    preset.clientId = Optional.of("llmchat");
    preset.name = "SSO";
    preset.scopes = Optional.of("profile email groups");
    preset.usernameClaim = Optional.empty();
    preset.groupsClaim = Optional.of("roles");
    preset.caFile = Optional.empty();
    ProviderSettings settings = preset.settings();
    assertEquals("openid profile email groups", settings.scopes());
    assertEquals("preferred_username", settings.usernameClaim());
    assertEquals("roles", settings.groupsClaim());
    preset.clientId = Optional.empty();
    assertTrue(
        assertThrows(IllegalStateException.class, preset::settings)
            .getMessage()
            .contains("LLMCHAT_OIDC_CLIENT_ID"));
  }
}
