document.getElementById("root")!.textContent = "문지기";
