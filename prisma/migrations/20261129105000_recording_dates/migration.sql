-- Song-level dating: each play's recording (from Last.fm's track MBID, or matched by name) and the year
-- it first came out. Compilations and album-less plays are dated by it.
ALTER TABLE "scrobbles" ADD COLUMN "recording_mbid" UUID;
ALTER TABLE "scrobbles" ADD COLUMN "recording_year" SMALLINT;
ALTER TABLE "scrobbles" ADD COLUMN "recording_status" "augmentation_status" NOT NULL DEFAULT 'pending';
-- The release group's secondary types decide whether a play counts by song: "Compilation", "Soundtrack", "DJ-mix".
ALTER TABLE "scrobbles" ADD COLUMN "is_compilation" BOOLEAN NOT NULL DEFAULT false;

-- What MusicBrainz said about one recording MBID, shared by every user. A null year is an answer.
CREATE TABLE "recording_year_cache" (
    "recording_mbid" UUID NOT NULL,
    "is_known" BOOLEAN NOT NULL,
    "first_release_year" SMALLINT,
    "looked_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retry_after" TIMESTAMPTZ(3),
    CONSTRAINT "recording_year_cache_pkey" PRIMARY KEY ("recording_mbid")
);

-- Matching a play's song by name: (artist, track) within one release group ('' for none), shared by everyone.
CREATE TABLE "recording_name_cache" (
    "artist_key" TEXT NOT NULL,
    "track_key" TEXT NOT NULL,
    "release_group_mbid" TEXT NOT NULL,
    "recording_mbid" UUID,
    "first_release_year" SMALLINT,
    "looked_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retry_after" TIMESTAMPTZ(3),
    CONSTRAINT "recording_name_cache_pkey" PRIMARY KEY ("artist_key", "track_key", "release_group_mbid")
);

-- The compilation flag of every release group an album lookup or name match found.
ALTER TABLE "album_year_cache" ADD COLUMN "is_compilation" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "album_name_cache" ADD COLUMN "is_compilation" BOOLEAN NOT NULL DEFAULT false;
