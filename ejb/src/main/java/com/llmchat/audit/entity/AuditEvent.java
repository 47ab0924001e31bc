package com.llmchat.audit.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

@Entity
@Table(name = "audit_event")
@NamedQuery(
    name = AuditEvent.RECENT,
    query = "select e from AuditEvent e order by e.occurredAt desc, e.id desc")
@NamedQuery(
    name = AuditEvent.RECENT_OF_ACTION,
    query =
        "select e from AuditEvent e where e.action = :action order by e.occurredAt desc, e.id desc")
@NamedQuery(name = AuditEvent.COUNT, query = "select count(e) from AuditEvent e")
@NamedQuery(
    name = AuditEvent.COUNT_OF_ACTION,
    query = "select count(e) from AuditEvent e where e.action = :action")
public class AuditEvent {

  public static final String COUNT = "AuditEvent.count";
  public static final String COUNT_OF_ACTION = "AuditEvent.countOfAction";
  public static final String RECENT = "AuditEvent.recent";
  public static final String RECENT_OF_ACTION = "AuditEvent.recentOfAction";

  public enum Outcome {
    SUCCESS,
    FAILURE,
    DENIED
  }

  @Id
  @SequenceGenerator(
      name = "audit_event_seq",
      sequenceName = "audit_event_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
  private Long id;

  @Column(name = "occurred_at", nullable = false, updatable = false)
  private OffsetDateTime occurredAt;

  @Column(length = 64, updatable = false)
  private String actor;

  @Column(nullable = false, length = 64, updatable = false)
  private String action;

  @Column(length = 200, updatable = false)
  private String target;

  @Column(nullable = false, length = 16, updatable = false)
  private String outcome;

  @Column(name = "client_ip", length = 64, updatable = false)
  private String clientIp;

  @Column(length = 1000, updatable = false)
  private String detail;

  protected AuditEvent() {}

  public AuditEvent(
      String actor, String action, String target, Outcome outcome, String clientIp, String detail) {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an action");
    }
    this.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
    this.actor = clip(actor, 64);
    this.action = action;
    this.target = clip(target, 200);
    this.outcome = outcome.name();
    this.clientIp = clip(clientIp, 64);
    this.detail = clip(detail, 1000);
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  public Long id() {
    return id;
  }

  public OffsetDateTime occurredAt() {
    return occurredAt;
  }

  public String actor() {
    return actor;
  }

  public String action() {
    return action;
  }

  public String target() {
    return target;
  }

  public String outcome() {
    return outcome;
  }

  public String clientIp() {
    return clientIp;
  }

  public String detail() {
    return detail;
  }
}
