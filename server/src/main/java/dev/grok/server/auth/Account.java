package dev.grok.server.auth;

import java.time.Instant;

/**
 * A user as the accounts see it, without secrets.
 *
 * @param id printable id such as {@code usr_3k9x0qa1bz}
 * @param name what tokens and tunnels show: the email for accounts made by {@code user create}, the bare name for
 *     users made by {@code token create --user}
 * @param email the sign-in identity (lower case for accounts made by {@code user create})
 * @param displayName free text from {@code --name}, null when none was given
 * @param role what the account may see and change
 * @param orgId the organization, null for none
 * @param orgSlug the organization's slug, null with orgId
 * @param hasPassword false for users that cannot sign in yet
 * @param totpEnabled whether sign-in needs a TOTP (or recovery) code
 * @param disabled whether the user, or their organization, is disabled
 * @param createdAt when the user was created
 */
public record Account(String id, String name, String email, String displayName, Role role, String orgId,
    String orgSlug, boolean hasPassword, boolean totpEnabled, boolean disabled, Instant createdAt) {}
