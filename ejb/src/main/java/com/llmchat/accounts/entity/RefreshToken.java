package com.llmchat.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One refresh token, stored as the SHA-256 of its value. Each use rotates it into a new token of
 * the same family; presenting an already rotated token means it was stolen and ends the family.
 */
@Entity
@Table(name = "refresh_token")
@NamedQuery(
    name = RefreshToken.BY_HASH,
    query = "select t from RefreshToken t where t.tokenHash = :hash")
@NamedQuery(
    name = RefreshToken.REVOKE_FAMILY,
    query =
        "update RefreshToken t set t.revokedAt = :now where t.family = :family and t.revokedAt is null")
@NamedQuery(
    name = RefreshToken.REVOKE_ACCOUNT,
    query =
        "update RefreshToken t set t.revokedAt = :now where t.account = :account and t.revokedAt is null")
@NamedQuery(
    name = RefreshToken.DELETE_ACCOUNT,
    query = "delete from RefreshToken t where t.account = :account")
public class RefreshToken {

  public static final String BY_HASH = "RefreshToken.byHash";
  public static final String REVOKE_FAMILY = "RefreshToken.revokeFamily";
  public static final String REVOKE_ACCOUNT = "RefreshToken.revokeAccount";
  public static final String DELETE_ACCOUNT = "RefreshToken.deleteAccount";

  @Id
  @SequenceGenerator(
      name = "refresh_token_seq",
      sequenceName = "refresh_token_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "refresh_token_seq")
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "account_id", nullable = false, updatable = false)
  private Account account;

  @Column(nullable = false, updatable = false, length = 36)
  private String family;

  @Column(name = "token_hash", nullable = false, updatable = false, length = 64)
  private String tokenHash;

  @Column(name = "issued_at", nullable = false, updatable = false)
  private OffsetDateTime issuedAt;

  @Column(name = "expires_at", nullable = false, updatable = false)
  private OffsetDateTime expiresAt;

  @Column(name = "rotated_at")
  private OffsetDateTime rotatedAt;

  @Column(name = "revoked_at")
  private OffsetDateTime revokedAt;

  protected RefreshToken() {}

  public RefreshToken(
      Account account,
      String family,
      String tokenHash,
      OffsetDateTime issuedAt,
      OffsetDateTime expiresAt) {
    this.account = account;
    this.family = family;
    this.tokenHash = tokenHash;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
  }

  /** Never rotated, not revoked, not expired. */
  public boolean isCurrent(OffsetDateTime now) {
    return rotatedAt == null && revokedAt == null && now.isBefore(expiresAt);
  }

  /** A token that was already exchanged: whoever presents it again is not its owner. */
  public boolean wasRotated() {
    return rotatedAt != null;
  }

  public void rotate(OffsetDateTime now) {
    this.rotatedAt = now;
  }

  public Account account() {
    return account;
  }

  public String family() {
    return family;
  }
}
