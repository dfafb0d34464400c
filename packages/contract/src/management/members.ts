import { z } from "zod";
import { roleSchema } from "./access";

/** A member's role in a workspace, from most to least powerful (the access vocabulary's roles). */
export const memberRoleSchema = roleSchema;
/** A member's role in a workspace. */
export type MemberRole = z.infer<typeof memberRoleSchema>;

/** An e-mail address, compared lower-cased. */
export const emailAddressSchema = z
  .email("must be an e-mail address")
  .max(320)
  .transform((email) => email.toLowerCase());

/** A workspace member as the console and `GET /api/v1/members` list them. */
export const memberViewSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: memberRoleSchema,
  joinedAt: z.string().describe("ISO date-time the member joined"),
  /** `agent` members: the bots whose inbox and conversations they may see. */
  agentBotIds: z.array(z.string()).optional(),
});
/** A workspace member. */
export type MemberView = z.infer<typeof memberViewSchema>;

/** A pending invitation (not accepted, revoked or expired). */
export const invitationViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: memberRoleSchema,
  expiresAt: z.string(),
  createdAt: z.string(),
});
/** A pending invitation. */
export type InvitationView = z.infer<typeof invitationViewSchema>;

/** Input of inviting someone: the address the link is sent to, and the role they get. */
export const inviteMemberInputSchema = z
  .object({ email: emailAddressSchema, role: memberRoleSchema.describe("The role the invitee gets") })
  .strict();
/** Input of inviting someone. */
export type InviteMemberInput = z.input<typeof inviteMemberInputSchema>;

/** Input of changing a member's role. */
export const changeMemberRoleInputSchema = z.object({ role: memberRoleSchema }).strict();
/** Input of changing a member's role. */
export type ChangeMemberRoleInput = z.input<typeof changeMemberRoleInputSchema>;
