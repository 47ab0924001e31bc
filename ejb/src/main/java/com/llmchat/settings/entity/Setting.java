package com.llmchat.settings.entity;

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
import java.util.Objects;
import java.util.regex.Pattern;

@Entity
@Table(name = "setting")
@NamedQuery(name = Setting.BY_NAME, query = "select s from Setting s where s.name = :name")
public class Setting {

  public static final String BY_NAME = "Setting.byName";
  public static final int MAX_VALUE_LENGTH = 10_000;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  @Id
  @SequenceGenerator(name = "setting_seq", sequenceName = "setting_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "setting_seq")
  private Long id;

  @Column(nullable = false, unique = true, length = 100, updatable = false)
  private String name;

  @Column(nullable = false)
  private String value;

  @Column(name = "updated_at", nullable = false)
  private OffsetDateTime updatedAt;

  protected Setting() {}

  public Setting(String name, String value) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("invalid setting name: " + name);
    }
    this.name = name;
    change(value);
  }

  public static boolean isValidName(String name) {
    return name != null && name.length() <= 100 && NAME.matcher(name).matches();
  }

  /** The installation's identity is written once by the server, never through the API. */
  public static boolean isReadOnly(String name) {
    return name.startsWith("instance.");
  }

  public void change(String newValue) {
    Objects.requireNonNull(newValue, "value");
    if (newValue.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException("value longer than " + MAX_VALUE_LENGTH);
    }
    this.value = newValue;
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }
}
