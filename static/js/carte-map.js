// The map of useful places on /carte/ (carte/map.html, docs/adr/0013). The list stays the page: this module
// only shows a "Voir sur la carte" button above it. The first tap loads Leaflet (vendored under
// static/vendor/leaflet/), its stylesheet and the places of the list (every page of it, /carte/lieux.json with
// the same filters), then draws them on tiles from the configured server. A phone that only wants the list
// never loads the library, the places or a tile.
//
// Markers are grouped by our own grid rather than a clustering plugin: the map holds at most a few hundred
// places (carte.views.MAPPED_AT_MOST), so placing each in a square of CELL pixels at the current zoom and
// drawing one marker per square takes a millisecond, needs no second library (Leaflet.markercluster's last
// release is from 2020) and gives us the markers' accessible names. A group opens as a zoom on its places,
// or as one bubble listing them when they share a spot that no zoom can tell apart (a centre's services).
//
// Keyboard: Leaflet makes each marker a focusable button. Enter or Space opens its card (or a group's zoom),
// focus goes into the card, Escape closes it and gives focus back to the marker. Tab leaves the map as it
// leaves any other part of the page.
const CELL = 56;
const MAX_ZOOM = 18;
// A town and its neighbourhoods, for a list whose places all sit on one point.
const SINGLE_PLACE_ZOOM = 16;
// A card fits a 360 px phone beside the zoom buttons, which Leaflet draws above it.
const CARD = { maxWidth: 240, autoPanPaddingTopLeft: [60, 10], autoPanPaddingBottomRight: [10, 10] };

const root = document.querySelector("[data-place-map]");
if (root) {
  setUp(root);
}

function setUp(root) {
  const toggle = root.querySelector("[data-place-map-toggle]");
  const canvas = root.querySelector("[data-place-map-canvas]");
  const status = root.querySelector("[data-place-map-status]");
  const text = root.dataset;
  let drawing = null;
  let note = "";

  const show = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? text.textHide : text.textShow;
    canvas.hidden = !open;
    status.textContent = open ? note : "";
  };

  root.hidden = false;
  toggle.addEventListener("click", async () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    show(open);
    if (!open) {
      return;
    }
    if (!drawing) {
      status.textContent = text.textLoading;
      drawing = draw(root, canvas).catch((error) => {
        console.error(error);
        return null;
      });
    }
    const drawn = await drawing;
    if (!drawn) {
      // A failed load (offline, a server error) closes the empty frame; the next tap tries again.
      drawing = null;
      show(false);
      status.textContent = text.textFailed;
      return;
    }
    note = drawn.note;
    status.textContent = canvas.hidden ? "" : note;
    // The map was measured while hidden, or while the window had another size.
    drawn.map.invalidateSize();
  });
}

function stylesheet(href) {
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", resolve);
    link.addEventListener("error", reject);
    document.head.append(link);
  });
}

async function places(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`${url}: ${response.status}`);
  }
  return response.json();
}

async function draw(root, canvas) {
  const text = root.dataset;
  const [L, data] = await Promise.all([import(text.leaflet), places(text.placesUrl), stylesheet(text.leafletCss)]);
  const map = L.map(canvas, { zoomControl: false, maxZoom: MAX_ZOOM });
  L.control.zoom({ zoomInTitle: text.textZoomIn, zoomOutTitle: text.textZoomOut }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  L.tileLayer(text.tileUrl, {
    attribution: text.tileAttribution,
    subdomains: text.tileSubdomains || "abc",
    maxZoom: MAX_ZOOM,
  }).addTo(map);

  const icon = L.icon({
    iconUrl: text.markerIcon,
    iconRetinaUrl: text.markerIconRetina,
    shadowUrl: text.markerShadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41],
  });
  const markers = L.layerGroup().addTo(map);
  const all = data.places;
  let opener = null;

  const card = (place) => {
    const node = root.querySelector("[data-place-map-card]").content.firstElementChild.cloneNode(true);
    node.querySelector("[data-field=name]").textContent = place.name;
    node.querySelector("[data-field=categories]").textContent = place.categories.join(", ");
    node.querySelector("[data-field=address]").textContent = place.address;
    node.querySelector("[data-field=url]").href = place.url;
    return node;
  };
  const cards = (group) => {
    const list = document.createElement("div");
    list.className = "place-card-list";
    list.append(...group.map(card));
    return list;
  };
  const position = (group) => {
    const sum = group.reduce((total, place) => [total[0] + place.latitude, total[1] + place.longitude], [0, 0]);
    return [sum[0] / group.length, sum[1] / group.length];
  };
  const onActivate = (marker, activate) => {
    marker.on("click", () => {
      opener = marker.getElement();
      activate();
    });
    // A group has no popup for Leaflet to open: Enter and Space, a button's keys, are ours.
    marker.on("keydown", (event) => {
      const key = event.originalEvent.key;
      if (key === "Enter" || key === " ") {
        event.originalEvent.preventDefault();
        opener = marker.getElement();
        activate();
      }
    });
  };

  const placeMarker = (place) => {
    const marker = L.marker([place.latitude, place.longitude], { icon, alt: place.name, title: place.name });
    marker.bindPopup(() => card(place), CARD);
    // Leaflet opens the card on a click or Enter itself; Space, a button's other key, is ours.
    marker.on("click", () => {
      opener = marker.getElement();
    });
    marker.on("keydown", (event) => {
      const key = event.originalEvent.key;
      if (key === "Enter" || key === " ") {
        opener = marker.getElement();
      }
      if (key === " ") {
        event.originalEvent.preventDefault();
        marker.togglePopup();
      }
    });
    return marker;
  };

  const groupMarker = (group) => {
    const label = text.textCluster.replace("{count}", group.length);
    const html = document.createElement("span");
    const count = document.createElement("span");
    count.setAttribute("aria-hidden", "true");
    count.textContent = group.length;
    const name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = label;
    html.append(count, name);
    const center = position(group);
    const marker = L.marker(center, {
      icon: L.divIcon({ html, className: "place-cluster", iconSize: [44, 44] }),
      title: label,
    });
    const bounds = L.latLngBounds(group.map((place) => [place.latitude, place.longitude]));
    onActivate(marker, () => {
      const zoom = Math.min(map.getBoundsZoom(bounds.pad(0.3)), MAX_ZOOM);
      if (zoom > map.getZoom()) {
        map.setView(bounds.getCenter(), zoom);
      } else {
        // Places on one spot: no zoom separates them, so one bubble lists them all.
        L.popup({ ...CARD, maxHeight: 320 }).setLatLng(center).setContent(cards(group)).openOn(map);
      }
    });
    return marker;
  };

  const redraw = () => {
    // A marker that had focus is about to be replaced: focus stays in the map rather than falling to the page.
    const focusWasOnMarker = canvas.contains(document.activeElement) && document.activeElement !== canvas;
    markers.clearLayers();
    const cells = new Map();
    const zoom = map.getZoom();
    for (const place of all) {
      const point = map.project([place.latitude, place.longitude], zoom);
      const key = `${Math.floor(point.x / CELL)},${Math.floor(point.y / CELL)}`;
      if (!cells.has(key)) {
        cells.set(key, []);
      }
      cells.get(key).push(place);
    }
    for (const group of cells.values()) {
      markers.addLayer(group.length === 1 ? placeMarker(group[0]) : groupMarker(group));
    }
    if (focusWasOnMarker && !canvas.contains(document.activeElement)) {
      canvas.focus();
    }
  };

  map.on("popupopen", (event) => {
    const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    close.setAttribute("aria-label", text.textClose);
    close.title = text.textClose;
    // Opened from the keyboard: the card's link is the next thing to reach, not every other marker first.
    if (opener && document.activeElement === opener) {
      event.popup.getElement().querySelector("a[href]:not(.leaflet-popup-close-button)")?.focus();
    }
  });
  map.on("popupclose", (event) => {
    if (opener && event.popup.getElement().contains(document.activeElement) && opener.isConnected) {
      opener.focus();
    }
  });
  map.on("zoomend", redraw);
  // Leaflet closes a card on Escape only while the map itself has focus, not a marker or the card's link.
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && canvas.querySelector(".leaflet-popup")) {
      map.closePopup();
    }
  });

  if (all.length) {
    const bounds = L.latLngBounds(all.map((place) => [place.latitude, place.longitude]));
    // Room for a marker's height above its point, the zoom buttons in the corner and the attribution below.
    map.fitBounds(bounds, { paddingTopLeft: [56, 56], paddingBottomRight: [32, 64], maxZoom: SINGLE_PLACE_ZOOM });
  } else {
    // France, for an empty map under its message.
    map.setView([46.6, 2.4], 5);
  }
  redraw();
  let note = "";
  if (!all.length) {
    note = text.textEmpty;
  } else if (data.capped) {
    note = text.textCapped.replace("{count}", all.length);
  }
  return { map, note };
}
