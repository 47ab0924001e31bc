package com.llmchat.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.identity.entity.GroupMapping;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LdapNamesTest {

  @Test
  void loginNamesThatFiltersGiveMeaningToAreRefused() {
    for (String name :
        new String[] {"*", "lin*", "a)(uid=*", "x\\00", "x\u0000", "tab\tname", " lead", ""}) {
      assertFalse(LdapNames.isAcceptableLoginName(name), name);
    }
    assertFalse(LdapNames.isAcceptableLoginName(null));
    assertFalse(LdapNames.isAcceptableLoginName("a".repeat(257)));
    for (String name : new String[] {"lin.wei", "zhao.li@ad.test", "林伟", "o'brien", "a b"}) {
      assertTrue(LdapNames.isAcceptableLoginName(name), name);
    }
  }

  @Test
  void valuesAreEscapedInFilters() throws Exception {
    String filter =
        LdapNames.filter("(&(objectClass=inetOrgPerson)(uid={0}))", "ab*", null).toString();
    assertTrue(filter.endsWith("(uid=ab\\2a))"), filter);
    assertEquals(
        "(member=cn=a\\29\\28b,dc=x)",
        LdapNames.filter("(member={0})", "cn=a)(b,dc=x", "ignored").toString());
    assertEquals(
        "(memberUid=alice)", LdapNames.filter("(memberUid={1})", "cn=x", "alice").toString());
  }

  @Test
  void groupsCompareByNormalizedDnOrLowerCaseName() {
    assertEquals(
        LdapNames.groupKey("cn=LLM Users,ou=Groups,dc=corp,dc=test"),
        LdapNames.groupKey("CN=llm users, OU=groups, DC=Corp, DC=Test"));
    assertEquals("llm users", LdapNames.groupKey(" LLM Users "));
    assertEquals("LLM Users", LdapNames.leafName("cn=LLM Users,ou=Groups,dc=x").orElseThrow());
  }

  @Test
  void mappingsGiveGroupsAndTheAdministratorRoleByDnOrName() {
    var users = new GroupMapping(1, "CN=LLM Users,OU=Groups,DC=corp,DC=test", 10L, false);
    var admins = new GroupMapping(1, "llm-admins", null, true);
    var other = new GroupMapping(1, "finance", 11L, false);
    var person =
        new LdapClient.Outcome.Authenticated(
            "uid=a,dc=corp,dc=test",
            "a",
            null,
            null,
            List.of(
                new LdapClient.DirectoryGroup(
                    "cn=llm users,ou=groups,dc=corp,dc=test", "llm users"),
                new LdapClient.DirectoryGroup(
                    "cn=LLM-Admins,ou=groups,dc=corp,dc=test", "LLM-Admins")));
    MappedRights rights = MappedRights.of(List.of(users, admins, other), person.groupKeys());
    assertEquals(Set.of(10L), rights.groupIds());
    assertTrue(rights.administrator());
    assertEquals(2, rights.matched().size());
  }

  @Test
  void activeDirectoryBindCodesAreRefusalsNotWrongPasswords() {
    String disabled =
        "80090308: LdapErr: DSID-0C09042F, comment: AcceptSecurityContext error, data 533, v2580";
    assertInstanceOf(
        LdapClient.Outcome.Refused.class,
        LdapClient.activeDirectoryRefusal("cn=x", disabled).orElseThrow());
    assertTrue(
        LdapClient.activeDirectoryRefusal(
                "cn=x", "80090308: LdapErr: DSID-0C09042F, comment: error, data 52e, v2580")
            .isEmpty(),
        "52e is a wrong password");
  }
}
