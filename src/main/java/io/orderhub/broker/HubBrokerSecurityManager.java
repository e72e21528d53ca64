package io.orderhub.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * Broker authentication for the hub's own service account. Artemis' JAAS manager needs login files on disk;
 * one service user whose password comes from the environment is all the embedded broker needs.
 */
final class HubBrokerSecurityManager implements ActiveMQSecurityManager {

    private final String user;
    private final byte[] password;
    private final String role;

    HubBrokerSecurityManager(String user, String password, String role) {
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new IllegalStateException("the broker needs spring.artemis.user and spring.artemis.password");
        }
        this.user = user;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.role = role;
    }

    @Override
    public boolean validateUser(String candidateUser, String candidatePassword) {
        if (candidateUser == null || candidatePassword == null) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                candidateUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(password, candidatePassword.getBytes(StandardCharsets.UTF_8));
        return userMatches & passwordMatches;
    }

    @Override
    public boolean validateUserAndRole(String candidateUser, String candidatePassword, Set<Role> roles,
                                       CheckType checkType) {
        if (!validateUser(candidateUser, candidatePassword)) {
            return false;
        }
        return roles.stream().anyMatch(r -> r.getName().equals(role) && checkType.hasRole(r));
    }
}
