// The QR code of an otpauth URI, drawn from the SVG path data auth sends (its dark modules): an
// inline <svg>, so the page's Content-Security-Policy needs no data: images and no markup is
// injected. White background and the quiet zone included, so phone cameras read it on any theme.
export function QrCode({ size, path, label }: { size: number; path: string; label: string }) {
  return (
    <svg className="qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges" data-testid="totp-qr">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
