-- Hand-written migration. Runs in one transaction: no BEGIN/COMMIT, no CREATE INDEX CONCURRENTLY.

-- Cross-channel contact linking (hand-written): a new channel identity joins the contact whose
-- verified phone number (digits only, so "+1 650-555-1234" and WhatsApp's "16505551234" meet) or
-- e-mail address (case-insensitive) it carries (see the conversation store's resolveContact).
CREATE INDEX "contacts_tenant_phone_digits" ON "contacts" ("tenant_id", (regexp_replace("phone", '[^0-9]', '', 'g')))
  WHERE "phone" IS NOT NULL;
CREATE INDEX "contacts_tenant_email_lower" ON "contacts" ("tenant_id", lower("email"))
  WHERE "email" IS NOT NULL;
