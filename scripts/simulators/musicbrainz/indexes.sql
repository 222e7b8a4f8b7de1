-- Keys and indexes from musicbrainz-server's CreatePrimaryKeys.sql and CreateIndexes.sql,
-- official names, for the tables in schema.sql. seed.ts runs each statement after the bulk
-- load (building an index once is much faster than maintaining it row by row).

ALTER TABLE musicbrainz.artist ADD CONSTRAINT artist_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX artist_idx_gid ON musicbrainz.artist (gid);
CREATE INDEX artist_idx_name ON musicbrainz.artist (name);
CREATE INDEX artist_idx_sort_name ON musicbrainz.artist (sort_name);
CREATE INDEX artist_idx_lower_unaccent_name_comment ON musicbrainz.artist (lower(musicbrainz.musicbrainz_unaccent(name)), lower(musicbrainz.musicbrainz_unaccent(comment)));

ALTER TABLE musicbrainz.artist_alias ADD CONSTRAINT artist_alias_pkey PRIMARY KEY (id);
CREATE INDEX artist_alias_idx_artist ON musicbrainz.artist_alias (artist);
CREATE INDEX artist_alias_idx_lower_unaccent_name ON musicbrainz.artist_alias (lower(musicbrainz.musicbrainz_unaccent(name)));
CREATE UNIQUE INDEX artist_alias_idx_primary ON musicbrainz.artist_alias (artist, locale) WHERE primary_for_locale = TRUE AND locale IS NOT NULL;

ALTER TABLE musicbrainz.artist_credit ADD CONSTRAINT artist_credit_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX artist_credit_idx_gid ON musicbrainz.artist_credit (gid);

ALTER TABLE musicbrainz.artist_credit_name ADD CONSTRAINT artist_credit_name_pkey PRIMARY KEY (artist_credit, position);
CREATE INDEX artist_credit_name_idx_artist ON musicbrainz.artist_credit_name (artist);

ALTER TABLE musicbrainz.release_status ADD CONSTRAINT release_status_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX release_status_idx_gid ON musicbrainz.release_status (gid);

ALTER TABLE musicbrainz.release ADD CONSTRAINT release_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX release_idx_gid ON musicbrainz.release (gid);
CREATE INDEX release_idx_name ON musicbrainz.release (name);
CREATE INDEX release_idx_release_group ON musicbrainz.release (release_group);
CREATE INDEX release_idx_artist_credit ON musicbrainz.release (artist_credit);

ALTER TABLE musicbrainz.release_gid_redirect ADD CONSTRAINT release_gid_redirect_pkey PRIMARY KEY (gid);
CREATE INDEX release_gid_redirect_idx_new_id ON musicbrainz.release_gid_redirect (new_id);

ALTER TABLE musicbrainz.release_group ADD CONSTRAINT release_group_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX release_group_idx_gid ON musicbrainz.release_group (gid);
CREATE INDEX release_group_idx_name ON musicbrainz.release_group (name);
CREATE INDEX release_group_idx_artist_credit ON musicbrainz.release_group (artist_credit);

ALTER TABLE musicbrainz.release_group_meta ADD CONSTRAINT release_group_meta_pkey PRIMARY KEY (id);

ALTER TABLE musicbrainz.release_group_gid_redirect ADD CONSTRAINT release_group_gid_redirect_pkey PRIMARY KEY (gid);
CREATE INDEX release_group_gid_redirect_idx_new_id ON musicbrainz.release_group_gid_redirect (new_id);

ALTER TABLE musicbrainz.release_group_primary_type ADD CONSTRAINT release_group_primary_type_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX release_group_primary_type_idx_gid ON musicbrainz.release_group_primary_type (gid);

ALTER TABLE musicbrainz.release_group_secondary_type ADD CONSTRAINT release_group_secondary_type_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX release_group_secondary_type_idx_gid ON musicbrainz.release_group_secondary_type (gid);

ALTER TABLE musicbrainz.release_group_secondary_type_join ADD CONSTRAINT release_group_secondary_type_join_pkey PRIMARY KEY (release_group, secondary_type);

ALTER TABLE musicbrainz.recording ADD CONSTRAINT recording_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX recording_idx_gid ON musicbrainz.recording (gid);
CREATE INDEX recording_idx_name ON musicbrainz.recording (name);
CREATE INDEX recording_idx_artist_credit ON musicbrainz.recording (artist_credit);

ALTER TABLE musicbrainz.medium ADD CONSTRAINT medium_pkey PRIMARY KEY (id);
CREATE INDEX medium_idx_release_position ON musicbrainz.medium (release, position);
CREATE UNIQUE INDEX medium_idx_gid ON musicbrainz.medium (gid);

ALTER TABLE musicbrainz.track ADD CONSTRAINT track_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX track_idx_gid ON musicbrainz.track (gid);
CREATE INDEX track_idx_recording ON musicbrainz.track (recording);
CREATE INDEX track_idx_medium_position ON musicbrainz.track (medium, position);
CREATE INDEX track_idx_artist_credit ON musicbrainz.track (artist_credit);

ALTER TABLE musicbrainz.recording_first_release_date ADD CONSTRAINT recording_first_release_date_pkey PRIMARY KEY (recording);

ALTER TABLE musicbrainz.release_unknown_country ADD CONSTRAINT release_unknown_country_pkey PRIMARY KEY (release);
