package dev.grok.server.auth;

import java.time.Instant;

/**
 * An organization.
 *
 * @param id printable id such as {@code org_3k9x0qa1bz}
 * @param slug unique, follows the subdomain rules; a member's tunnel NAME is published as {@code NAME-SLUG.DOMAIN}
 * @param name display name
 * @param disabled whether {@code org disable} was run: its members cannot sign in
 * @param createdAt when it was created
 */
public record Org(String id, String slug, String name, boolean disabled, Instant createdAt) {}
