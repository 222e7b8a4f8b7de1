export default function Loading() {
  return (
    <div aria-busy="true" role="status" aria-label="Loading">
      <div className="skeleton" style={{ height: 42, width: "60%", margin: "24px 0 16px" }} />
      <div className="skeleton" style={{ height: 360 }} />
    </div>
  );
}
