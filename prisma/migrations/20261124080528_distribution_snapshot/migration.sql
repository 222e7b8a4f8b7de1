-- AlterTable
ALTER TABLE "fetch_jobs" ADD COLUMN     "distribution" JSONB;
