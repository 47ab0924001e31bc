/**
 * MicroProfile Health checks of the platform. They live in an EAR library jar because WildFly
 * ignores health checks inside the EAR's WAR and EJB modules.
 */
package com.llmchat.health;
