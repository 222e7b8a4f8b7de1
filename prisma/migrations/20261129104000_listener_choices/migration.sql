-- What a listener signed in with Last.fm chose about their own data. Keyed by the lowercase name, not by
-- lastfm_users, so an opt-out outlives "delete everything" (which removes the lastfm_users row).
CREATE TABLE "listener_choices" (
    "name_key" VARCHAR(64) NOT NULL,
    "is_hidden" BOOLEAN NOT NULL DEFAULT false,
    "is_opted_out" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listener_choices_pkey" PRIMARY KEY ("name_key")
);
