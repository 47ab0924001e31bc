package com.llmchat.identity.control;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server's certificate names the host the URL gives (RFC 6125): an IP address against the
 * certificate's IP addresses, a host name against its DNS names (a wildcard stands for the leftmost
 * label only), the subject's CN only when the certificate has no DNS names. No lookup in DNS either
 * way: what the URL says is what must match.
 */
final class CertificateNames {

  private static final int DNS = 2;
  private static final int IP = 7;

  private CertificateNames() {}

  static boolean names(X509Certificate certificate, String host) {
    String wanted = host.toLowerCase(Locale.ROOT);
    if (wanted.startsWith("[") && wanted.endsWith("]")) {
      wanted = wanted.substring(1, wanted.length() - 1);
    }
    boolean address = wanted.matches("[0-9.]+") || wanted.contains(":");
    boolean anyDns = false;
    try {
      if (certificate.getSubjectAlternativeNames() != null) {
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
          int type = (Integer) name.get(0);
          String value = String.valueOf(name.get(1)).toLowerCase(Locale.ROOT);
          if (type == IP && address && sameAddress(value, wanted)) {
            return true;
          }
          if (type == DNS) {
            anyDns = true;
            if (!address && dnsMatches(value, wanted)) {
              return true;
            }
          }
        }
      }
    } catch (CertificateParsingException e) {
      return false;
    }
    if (address || anyDns) {
      return false;
    }
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")
            && dnsMatches(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT), wanted)) {
          return true;
        }
      }
    } catch (InvalidNameException e) {
      return false;
    }
    return false;
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static boolean dnsMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }
}
