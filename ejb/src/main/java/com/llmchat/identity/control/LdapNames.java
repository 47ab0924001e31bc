package com.llmchat.identity.control;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.util.Locale;
import java.util.Optional;

/**
 * What goes into a filter and how groups are compared. A login name is refused when it holds
 * characters no username has and filters give meaning to ({@code * ( ) \} and controls), and
 * escaped anyway (RFC 4515) when it goes into a filter: no input widens a search.
 */
public final class LdapNames {

  public static final int MAX_LOGIN_NAME = 256;

  private LdapNames() {}

  /** Whether the name may be looked up at all. */
  public static boolean isAcceptableLoginName(String loginName) {
    if (loginName == null || loginName.isEmpty() || loginName.length() > MAX_LOGIN_NAME) {
      return false;
    }
    if (!loginName.equals(loginName.strip())) {
      return false;
    }
    for (int i = 0; i < loginName.length(); i++) {
      char c = loginName.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '*' || c == '(' || c == ')' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The template with {0} and {1} replaced by the values, each escaped for a filter. */
  public static Filter filter(String template, String first, String second) throws LDAPException {
    String text = template.replace("{0}", Filter.encodeValue(first));
    if (second != null) {
      text = text.replace("{1}", Filter.encodeValue(second));
    }
    return Filter.create(text);
  }

  /**
   * How a group is compared: a DN in its normalized form, a plain name in lower case. A mapping
   * says "cn=LLM Users,ou=groups,dc=corp" or "llm users"; a group matches by either.
   */
  public static String groupKey(String dnOrName) {
    String value = dnOrName == null ? "" : dnOrName.strip();
    if (value.contains("=") && DN.isValidDN(value)) {
      try {
        return new DN(value).toNormalizedString();
      } catch (LDAPException e) {
        // checked just before
      }
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** The value of a DN's first RDN ("LLM Users" of "cn=LLM Users,ou=groups"), if it has one. */
  public static Optional<String> leafName(String dn) {
    try {
      RDN rdn = new DN(dn).getRDN();
      return rdn == null ? Optional.empty() : Optional.of(rdn.getAttributeValues()[0]);
    } catch (LDAPException e) {
      return Optional.empty();
    }
  }
}
