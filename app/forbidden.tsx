import { Notice } from "@/app/ui/notice";

// Answered with status 403: the only forbidden thing here is a Last.fm profile its owner keeps private.
export default function Forbidden() {
  return (
    <Notice title="This profile is private">
      This Last.fm user hides their recent listening, so nobody can chart it. If it is yours, turn off “Hide recent
      listening information” in your Last.fm privacy settings and come back.{" "}
      <span className="muted">(private_profile)</span>
    </Notice>
  );
}
