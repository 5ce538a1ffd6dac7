/*
 * praevnet – optional drawn signature on the signing page.
 *
 * Markup (templates/agreements/sign.html):
 *   <div data-signature-pad="id_drawn_signature" hidden>   the hidden input that receives the PNG data URL
 *     <canvas data-signature-canvas …></canvas>
 *     <button type="button" data-signature-clear>Löschen</button>
 *     <p data-signature-status aria-live="polite"></p>
 *   </div>
 * Pointer events cover mouse, touch and pen. Without JavaScript the block stays hidden and signing works with the
 * typed name alone; the drawing is optional, so keyboard users simply skip it (the canvas is not a tab stop).
 */
(function () {
  "use strict";

  function setUp(pad) {
    var input = document.getElementById(pad.getAttribute("data-signature-pad"));
    var canvas = pad.querySelector("[data-signature-canvas]");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    if (!input || !canvas || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var ratio = Math.min(window.devicePixelRatio || 1, 2);
    var drawing = false;
    var drawn = false;
    var last = null;

    canvas.style.touchAction = "none"; // a finger draws instead of scrolling the page

    // The CSS size is fixed here; the bitmap behind it follows it (sharper on high-resolution screens).
    canvas.style.width = "100%";
    canvas.style.height = (parseInt(canvas.getAttribute("data-height"), 10) || 160) + "px";

    function resize() {
      // Keep the drawing when the width changes (rotation): copy it to the new size.
      var copy = drawn ? canvas.toDataURL("image/png") : null;
      var width = canvas.clientWidth;
      var height = canvas.clientHeight;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.2;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#0b1f4d";
      if (copy) {
        var image = new Image();
        image.onload = function () {
          context.drawImage(image, 0, 0, width, height);
        };
        image.src = copy;
      }
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    function save() {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
      if (status) {
        status.textContent = drawn
          ? "Ihre gezeichnete Unterschrift wird mit gespeichert."
          : "Keine Zeichnung: Es gilt Ihr eingegebener Name.";
      }
      if (clear) {
        clear.disabled = !drawn;
      }
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== undefined && event.button > 0) {
        return;
      }
      event.preventDefault();
      drawing = true;
      last = point(event);
      try {
        canvas.setPointerCapture(event.pointerId); // keep drawing when the pen leaves the field for a moment
      } catch (error) {
        // an unknown pointer id (synthetic events): drawing works without capture
      }
      // A tap leaves a dot.
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!events.length) {
        events = [event];
      }
      context.beginPath();
      context.moveTo(last.x, last.y);
      for (var i = 0; i < events.length; i++) {
        var next = point(events[i]);
        context.lineTo(next.x, next.y);
        last = next;
      }
      context.stroke();
    });

    function stop() {
      if (!drawing) {
        return;
      }
      drawing = false;
      save();
    }

    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("lostpointercapture", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        save();
      });
    }

    pad.hidden = false;
    resize();
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      // The page came back with a form error: show the drawing that was sent, so it is not lost silently.
      var previous = new Image();
      previous.onload = function () {
        context.drawImage(previous, 0, 0, canvas.clientWidth, canvas.clientHeight);
        drawn = true;
        save();
      };
      previous.onerror = function () {
        drawn = false;
        save();
      };
      previous.src = input.value;
    } else {
      save();
    }
    window.addEventListener("resize", function () {
      if (canvas.width !== Math.round(canvas.clientWidth * ratio)) {
        resize();
      }
    });
  }

  function init() {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i++) {
      setUp(pads[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
