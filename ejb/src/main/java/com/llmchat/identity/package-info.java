/**
 * Company login: accounts that come from a directory (LDAP / Active Directory), created at their
 * first login and brought up to date at every login, with the directory's groups mapped to ours and
 * to the administrator role. The password stays the directory's; ours never sees it stored.
 */
package com.llmchat.identity;
