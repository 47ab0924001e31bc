package com.llmchat.it;

import java.io.IOException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A system test class: Arquillian starts the provisioned WildFly once per run, and the real EAR is
 * deployed to it before the first class that needs it, then shared by every class (a deployment per
 * class cost about 7 s each: deploying, undeploying, uploading the EAR again).
 */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedEar {

  @BeforeAll
  static void deployed() throws IOException {
    Platform.deployOnce();
  }
}
