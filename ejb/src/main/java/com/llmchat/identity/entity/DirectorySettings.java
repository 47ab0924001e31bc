package com.llmchat.identity.entity;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How to reach a directory and read people and groups from it: everything but the bind password.
 * {@link #validated()} checks each value and says which one is wrong; {@link #openLdap} and {@link
 * #activeDirectory} fill what a directory of that kind usually has.
 *
 * @param userFilter finds the person who logs in; {0} is the login name, escaped
 * @param disabledFilter when it matches the person's entry, the account is disabled there
 * @param groupFilter (SEARCH) finds the person's groups; {0} is their DN, {1} the username
 */
public record DirectorySettings(
    String name,
    boolean enabled,
    int position,
    String url,
    boolean startTls,
    String caCertificates,
    String bindDn,
    String userBase,
    String userFilter,
    String usernameAttribute,
    String displayNameAttribute,
    String emailAttribute,
    String disabledFilter,
    GroupMode groupMode,
    String groupAttribute,
    String groupBase,
    String groupFilter,
    String groupNameAttribute,
    boolean nestedGroups) {

  /** Where a person's groups come from. */
  public enum GroupMode {
    /** An attribute of the person's entry lists the groups' DNs (AD, OpenLDAP's memberof). */
    MEMBER_OF,
    /** The groups are found by a search: groupOfNames, groupOfUniqueNames, posixGroup. */
    SEARCH
  }

  /** The kinds of directory whose usual settings {@link #preset} knows. */
  public enum Kind {
    OPENLDAP,
    ACTIVE_DIRECTORY
  }

  public static final String OPENLDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(uid={0}))";
  public static final String AD_USER_FILTER =
      "(&(objectClass=user)(|(sAMAccountName={0})(userPrincipalName={0})))";

  /** AD's userAccountControl bit ACCOUNTDISABLE (2), by the bitwise-AND matching rule. */
  public static final String AD_DISABLED_FILTER = "(userAccountControl:1.2.840.113556.1.4.803:=2)";

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}|[0-9]+(\\.[0-9]+)+");

  /** An OpenLDAP directory: inetOrgPerson people, groupOfNames groups. */
  public static DirectorySettings openLdap(String name, String url, String baseDn) {
    return new DirectorySettings(
        name,
        true,
        0,
        url,
        false,
        null,
        null,
        baseDn,
        OPENLDAP_USER_FILTER,
        "uid",
        "cn",
        "mail",
        "(pwdAccountLockedTime=*)",
        GroupMode.SEARCH,
        "memberOf",
        baseDn,
        "(&(objectClass=groupOfNames)(member={0}))",
        "cn",
        false);
  }

  /** An Active Directory: sAMAccountName or userPrincipalName, memberOf, userAccountControl. */
  public static DirectorySettings activeDirectory(String name, String url, String baseDn) {
    return new DirectorySettings(
        name,
        true,
        0,
        url,
        false,
        null,
        null,
        baseDn,
        AD_USER_FILTER,
        "sAMAccountName",
        "displayName",
        "mail",
        AD_DISABLED_FILTER,
        GroupMode.MEMBER_OF,
        "memberOf",
        null,
        null,
        "cn",
        false);
  }

  public static DirectorySettings preset(Kind kind, String name, String url, String baseDn) {
    return kind == Kind.ACTIVE_DIRECTORY
        ? activeDirectory(name, url, baseDn)
        : openLdap(name, url, baseDn);
  }

  /** The lookup key of a directory's name. */
  public static String key(String name) {
    return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
  }

  /** These settings stripped and checked; IllegalArgumentException names the first bad value. */
  public DirectorySettings validated() {
    String strippedName = strip(name);
    if (strippedName == null || !NAME.matcher(strippedName).matches()) {
      throw new IllegalArgumentException(
          "name must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    String strippedUrl = strip(url);
    checkUrl(strippedUrl, startTls);
    String certificates = strip(caCertificates);
    if (certificates != null) {
      checkCertificates(certificates);
    }
    String bind = strip(bindDn);
    if (bind != null) {
      checkDn("bindDn", bind);
    }
    String base = required("userBase", userBase);
    checkDn("userBase", base);
    String users = checkFilter("userFilter", required("userFilter", userFilter), true);
    String disabled = strip(disabledFilter);
    if (disabled != null) {
      checkFilter("disabledFilter", disabled, false);
    }
    GroupMode mode = groupMode == null ? GroupMode.MEMBER_OF : groupMode;
    String groupsBase = strip(groupBase);
    String groups = strip(groupFilter);
    if (mode == GroupMode.SEARCH) {
      checkDn("groupBase", required("groupBase", groupsBase));
      checkFilter("groupFilter", required("groupFilter", groups), false);
    } else {
      if (groupsBase != null) {
        checkDn("groupBase", groupsBase);
      }
      if (groups != null) {
        checkFilter("groupFilter", groups, false);
      }
    }
    return new DirectorySettings(
        strippedName,
        enabled,
        Math.max(0, Math.min(position, 1000)),
        strippedUrl,
        startTls,
        certificates,
        bind,
        base,
        users,
        attribute("usernameAttribute", usernameAttribute),
        attribute("displayNameAttribute", displayNameAttribute),
        attribute("emailAttribute", emailAttribute),
        disabled,
        mode,
        attribute("groupAttribute", groupAttribute == null ? "memberOf" : groupAttribute),
        groupsBase,
        groups,
        attribute("groupNameAttribute", groupNameAttribute == null ? "cn" : groupNameAttribute),
        nestedGroups);
  }

  private static String strip(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String required(String what, String value) {
    String stripped = strip(value);
    if (stripped == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    return stripped;
  }

  private static void checkUrl(String url, boolean startTls) {
    if (url == null) {
      throw new IllegalArgumentException("url is required, such as ldap://ldap.example.com:389");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("ldap://") && !lower.startsWith("ldaps://")) {
      throw new IllegalArgumentException(
          "url must start with ldap:// or ldaps://, such as ldaps://ldap.example.com:636");
    }
    LDAPURL parsed;
    try {
      parsed = new LDAPURL(url);
    } catch (LDAPException e) {
      throw new IllegalArgumentException("url is not an LDAP URL: " + e.getMessage());
    }
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!parsed.hostProvided()) {
      throw new IllegalArgumentException("url must name the directory's host");
    }
    if (startTls && scheme.equals("ldaps")) {
      throw new IllegalArgumentException(
          "startTls is for ldap:// URLs; an ldaps:// connection is encrypted from the start");
    }
    if (url.length() > 500) {
      throw new IllegalArgumentException("url must be at most 500 characters");
    }
  }

  private static void checkCertificates(String pem) {
    try {
      var certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("caCertificates holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "caCertificates must be PEM certificates (-----BEGIN CERTIFICATE-----): "
              + e.getMessage());
    }
  }

  private static void checkDn(String what, String dn) {
    if (dn.length() > 500 || !DN.isValidDN(dn)) {
      throw new IllegalArgumentException(what + " is not a valid DN: " + dn);
    }
  }

  private static String checkFilter(String what, String template, boolean needsLogin) {
    if (template.length() > 1000) {
      throw new IllegalArgumentException(what + " must be at most 1000 characters");
    }
    if (needsLogin && !template.contains("{0}")) {
      throw new IllegalArgumentException(what + " must contain {0}, the login name");
    }
    try {
      Filter.create(template.replace("{0}", "x").replace("{1}", "x"));
    } catch (LDAPException e) {
      throw new IllegalArgumentException(
          what + " is not a valid LDAP filter: " + e.getExceptionMessage());
    }
    return template;
  }

  private static String attribute(String what, String value) {
    String stripped = required(what, value);
    if (!ATTRIBUTE.matcher(stripped).matches()) {
      throw new IllegalArgumentException(what + " is not an attribute name: " + stripped);
    }
    return stripped;
  }
}
