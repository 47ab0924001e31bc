package com.llmchat.settings.boundary;

/**
 * What one setting accepts. The component that reads a setting provides its rule as a CDI bean, so
 * the settings page and the API change it through the same check; a name without a rule is not a
 * setting anybody may change.
 */
public interface SettingRule {

  String name();

  /** The value to store for what an administrator entered; throws InvalidSettingException. */
  String accept(String value);
}
