import { Notice } from "@/app/ui/notice";

export default function NotFound() {
  return (
    <Notice title="No such Last.fm user">
      We could not find that profile on Last.fm. Check the spelling: usernames are 2–15 characters, a letter first.{" "}
      <span className="muted">(user_not_found)</span>
    </Notice>
  );
}
