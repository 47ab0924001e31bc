package com.llmchat.platform;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Settings of the persistence unit that the server's speed depends on. */
class PersistenceUnitTest {

  /**
   * EclipseLink's default wait of 0 ms makes a thread that waits for one of its locks (the sequence
   * preallocation lock that every insert takes) spin on it: with 64 concurrent sends the spin took
   * 80 % of the CPU of creating a conversation.
   */
  @Test
  void threadsWaitingForEclipseLinksLocksSleepUntilWokenInsteadOfSpinning() throws Exception {
    String wait = property("eclipselink.concurrency.manager.waittime");
    assertNotNull(wait, "the wait is set");
    assertTrue(Long.parseLong(wait) > 0, "a wait of 0 ms spins: " + wait);
  }

  private static String property(String name) throws Exception {
    try (InputStream xml =
        PersistenceUnitTest.class.getResourceAsStream("/META-INF/persistence.xml")) {
      NodeList properties =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(xml)
              .getElementsByTagName("property");
      for (int i = 0; i < properties.getLength(); i++) {
        Element property = (Element) properties.item(i);
        if (property.getAttribute("name").equals(name)) {
          return property.getAttribute("value");
        }
      }
      return null;
    }
  }
}
