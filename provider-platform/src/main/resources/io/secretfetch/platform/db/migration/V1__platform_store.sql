-- Secret Fetch platform store, schema 1. Runs unchanged on H2 2.x and PostgreSQL 13+.
-- No column ever holds a plaintext secret value: values are Tink AEAD ciphertexts, keysets are
-- wrapped by the master key.

-- Keys of the store itself (the audit chain's HMAC keyset), wrapped by the master key.
CREATE TABLE sf_store_key (
  key_name       VARCHAR(64)              NOT NULL PRIMARY KEY,
  wrapped_keyset BYTEA                    NOT NULL,
  master_key_id  BIGINT                   NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  rewrapped_at   TIMESTAMP WITH TIME ZONE
);

-- One row per tenant ('' is the default tenant): its AES256-GCM keyset, wrapped by the master key.
CREATE TABLE sf_tenant (
  tenant          VARCHAR(255)             NOT NULL PRIMARY KEY,
  wrapped_keyset  BYTEA                    NOT NULL,
  master_key_id   BIGINT                   NOT NULL,
  primary_key_id  BIGINT                   NOT NULL,
  keyset_revision INTEGER                  NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  rotated_at      TIMESTAMP WITH TIME ZONE
);

CREATE TABLE sf_secret (
  id             UUID                     NOT NULL PRIMARY KEY,
  tenant         VARCHAR(255)             NOT NULL REFERENCES sf_tenant (tenant),
  name           VARCHAR(255)             NOT NULL,
  description    VARCHAR(1024),
  owner          VARCHAR(255),
  category       VARCHAR(16)              NOT NULL,
  expires_at     TIMESTAMP WITH TIME ZONE,
  -- The active version: a pointer (checked by the foreign key below), not a flag on the version.
  active_version INTEGER,
  latest_version INTEGER                  NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by     VARCHAR(255),
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  deleted_at     TIMESTAMP WITH TIME ZONE,
  CONSTRAINT sf_secret_name_uq UNIQUE (tenant, name),
  CONSTRAINT sf_secret_category_ck CHECK (category IN ('api_key', 'token', 'credential', 'other'))
);

CREATE TABLE sf_secret_version (
  secret_id      UUID                     NOT NULL REFERENCES sf_secret (id) ON DELETE CASCADE,
  version        INTEGER                  NOT NULL,
  -- NULL once destroyed.
  ciphertext     BYTEA,
  -- The tenant key that encrypted it (Tink key id), for batch re-encryption.
  key_id         BIGINT,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by     VARCHAR(255),
  destroyed_at   TIMESTAMP WITH TIME ZONE,
  CONSTRAINT sf_secret_version_pk PRIMARY KEY (secret_id, version),
  CONSTRAINT sf_secret_version_positive_ck CHECK (version > 0)
);

ALTER TABLE sf_secret ADD CONSTRAINT sf_secret_active_fk
  FOREIGN KEY (id, active_version) REFERENCES sf_secret_version (secret_id, version);

CREATE INDEX sf_secret_version_key_ix ON sf_secret_version (key_id);

CREATE TABLE sf_secret_tag (
  secret_id UUID         NOT NULL REFERENCES sf_secret (id) ON DELETE CASCADE,
  tag_key   VARCHAR(128) NOT NULL,
  tag_value VARCHAR(256) NOT NULL,
  CONSTRAINT sf_secret_tag_pk PRIMARY KEY (secret_id, tag_key)
);

CREATE INDEX sf_secret_tag_ix ON sf_secret_tag (tag_key, tag_value);

-- The audit trail: an HMAC chain. seq is assigned under the lock on sf_audit_head, so it is
-- gap-free; each mac covers the previous mac and this event.
CREATE TABLE sf_audit_event (
  seq                 BIGINT                   NOT NULL PRIMARY KEY,
  occurred_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  tenant              VARCHAR(255)             NOT NULL,
  actor               VARCHAR(255),
  action              VARCHAR(32)              NOT NULL,
  outcome             VARCHAR(32)              NOT NULL,
  secret_id           UUID,
  secret_name         VARCHAR(255),
  version             INTEGER,
  process_instance_id VARCHAR(255),
  activity_id         VARCHAR(255),
  detail              VARCHAR(512),
  mac                 BYTEA                    NOT NULL
);

CREATE INDEX sf_audit_event_secret_ix ON sf_audit_event (tenant, secret_name, seq);
CREATE INDEX sf_audit_event_actor_ix ON sf_audit_event (actor, seq);
CREATE INDEX sf_audit_event_action_ix ON sf_audit_event (action, seq);
CREATE INDEX sf_audit_event_time_ix ON sf_audit_event (occurred_at);

-- The chain head: one row, locked by every transaction that appends.
CREATE TABLE sf_audit_head (
  id       INTEGER NOT NULL PRIMARY KEY,
  last_seq BIGINT  NOT NULL,
  last_mac BYTEA,
  CONSTRAINT sf_audit_head_single_ck CHECK (id = 1)
);

INSERT INTO sf_audit_head (id, last_seq, last_mac) VALUES (1, 0, NULL);
