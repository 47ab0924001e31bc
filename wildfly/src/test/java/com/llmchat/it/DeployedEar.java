package com.llmchat.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** A system test class: the real EAR is deployed to the provisioned WildFly before its tests. */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedEar {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Platform.ear();
  }
}
