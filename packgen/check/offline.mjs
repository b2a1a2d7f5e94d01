// Chromium switches that keep a hostile page's own scripts off every network. Request interception
// sees only what the page fetches over HTTP; WebSocket, WebRTC and QUIC pass it by, so every proxied
// way out goes to a proxy that is not there (loopback included, which Chromium otherwise never
// proxies) and WebRTC may send nothing the proxy does not carry. file: and data: need no network.
// Shared by axe_runner.mjs and ace_offline.mjs, the two ways packgen drives Chromium.

export const OFFLINE_SWITCHES = [
  "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
  "--webrtc-ip-handling-policy=disable_non_proxied_udp", "--disable-quic",
];
