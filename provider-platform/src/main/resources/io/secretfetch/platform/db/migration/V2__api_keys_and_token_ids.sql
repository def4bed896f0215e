-- Secret Fetch platform store, schema 2: the HTTPS API's credentials. Runs on H2 2.x and PostgreSQL.

-- API keys for people and tools. Only a SHA-256 hash of the key's random part is stored; the key
-- itself is shown once, when it is created. key_id is the public prefix used for lookup.
CREATE TABLE sf_api_key (
  key_id      VARCHAR(32)              NOT NULL PRIMARY KEY,
  tenant      VARCHAR(255)             NOT NULL,
  subject     VARCHAR(255)             NOT NULL,
  scopes      VARCHAR(255)             NOT NULL,
  key_hash    BYTEA                    NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by  VARCHAR(255),
  expires_at  TIMESTAMP WITH TIME ZONE,
  revoked_at  TIMESTAMP WITH TIME ZONE,
  revoked_by  VARCHAR(255)
);

CREATE INDEX sf_api_key_tenant_ix ON sf_api_key (tenant, created_at);

-- Ids (jti) of service tokens already used: a token is accepted once. Rows past their expiry are
-- removed, since an expired token is refused anyway.
CREATE TABLE sf_token_use (
  token_id   VARCHAR(128)             NOT NULL PRIMARY KEY,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX sf_token_use_expiry_ix ON sf_token_use (expires_at);
