package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bytecode the agent writes, checked against this JDK's own classes (from the jrt image). */
class JdkInterceptionTest {
  @Test
  void everyNetCallOfTheTcpClassesGoesToTheBridgeAndNothingElseChanges() throws IOException {
    for (String tcpClass : JdkInterception.TCP_CLASSES) {
      byte[] original = jdkClass("java.base", tcpClass);
      byte[] patched = JdkInterception.redirectNetCalls(original);
      assertEquals(List.of(), ClassFile.of().verify(patched), tcpClass);

      ClassModel before = ClassFile.of().parse(original);
      ClassModel after = ClassFile.of().parse(patched);
      assertEquals(before.methods().size(), after.methods().size(), tcpClass);
      assertEquals(before.fields().size(), after.fields().size(), tcpClass);
      int redirected = 0;
      for (MethodModel method : after.methods()) {
        List<Instruction> code = instructions(method);
        List<Instruction> old = instructions(find(before, method));
        String where = tcpClass + "." + method.methodName();
        int j = 0; // index into the patched code, which has one more instruction per connect
        for (Instruction was : old) {
          if (isNetBindOrConnect(was)) {
            InvokeInstruction wasCall = (InvokeInstruction) was;
            boolean connect = wasCall.name().equalsString("connect");
            if (connect) {
              // The calling object goes on the stack right before the call: this, or null.
              assertEquals(method.flags().has(java.lang.reflect.AccessFlag.STATIC) ? "ACONST_NULL" : "ALOAD_0",
                  code.get(j++).opcode().name(), where);
            }
            InvokeInstruction call = (InvokeInstruction) code.get(j++);
            assertEquals("sun/nio/ch/SdpShimBridge", call.owner().asInternalName(), where);
            assertEquals(wasCall.name().stringValue(), call.name().stringValue(), where);
            java.lang.constant.MethodTypeDesc expected = connect
                ? wasCall.typeSymbol().insertParameterTypes(wasCall.typeSymbol().parameterCount(),
                    java.lang.constant.ConstantDescs.CD_Object)
                : wasCall.typeSymbol();
            assertEquals(expected, call.typeSymbol(), where);
            redirected++;
          } else {
            assertEquals(was.toString(), code.get(j++).toString(), where + " must stay as it was");
          }
        }
        assertEquals(code.size(), j, where + " has nothing else added");
      }
      assertTrue(redirected > 0, tcpClass + " has a Net.bind/connect call to redirect");
    }
  }

  @Test
  void netItselfAndTheNonTcpCallersAreLeftAlone() throws IOException {
    // DatagramChannelImpl calls Net.bind/connect too; its sockets must never reach the hook.
    assertTrue(instructionsOf(jdkClass("java.base", "sun/nio/ch/DatagramChannelImpl")).stream()
        .anyMatch(JdkInterceptionTest::isNetBindOrConnect), "the test's premise");
    for (String untouched : List.of("sun/nio/ch/DatagramChannelImpl", "sun/nio/ch/Net")) {
      assertFalse(JdkInterception.TCP_CLASSES.contains(untouched), untouched);
    }
  }

  @Test
  void aClassWithoutNetCallsIsRefusedRatherThanHalfPatched() throws IOException {
    byte[] notTcp = jdkClass("java.base", "sun/net/NetHooks");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JdkInterception.redirectNetCalls(notTcp));
    assertTrue(e.getMessage().contains("sun/net/NetHooks makes no Net.bind/connect call"),
        e.getMessage());
  }

  @Test
  void netHooksInitialiserAndHooksBecomeBareReturns() throws IOException {
    byte[] original;
    try {
      original = jdkClass("java.base", "sun/net/NetHooks");
    } catch (IOException absent) {
      return; // JDK 26+: no NetHooks
    }
    byte[] emptied = JdkInterception.emptyNetHooks(original);
    assertEquals(List.of(), ClassFile.of().verify(emptied));
    ClassModel model = ClassFile.of().parse(emptied);
    for (String name : List.of("<clinit>", "beforeTcpBind", "beforeTcpConnect")) {
      MethodModel method = model.methods().stream()
          .filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow();
      List<Instruction> code = instructions(method);
      assertEquals(1, code.size(), name);
      assertEquals("RETURN", code.get(0).opcode().name(), name);
    }
  }

  @Test
  void bridgeHasOneMethodPerNetOverloadTheTcpClassesCall() throws IOException {
    byte[] bridge = JdkInterception.bridgeBytes();
    assertEquals(List.of(), ClassFile.of().verify(bridge));
    ClassModel model = ClassFile.of().parse(bridge);
    assertEquals("sun/nio/ch/SdpShimBridge", model.thisClass().asInternalName());
    assertTrue(model.fields().stream().allMatch(f -> f.flags().flagsMask()
        == (ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_VOLATILE)));
    Set<String> bridgeMethods = model.methods().stream()
        .map(m -> m.methodName().stringValue() + m.methodType().stringValue())
        .collect(Collectors.toSet());
    for (String tcpClass : JdkInterception.TCP_CLASSES) {
      for (Instruction i : instructionsOf(jdkClass("java.base", tcpClass))) {
        if (isNetBindOrConnect(i)) {
          InvokeInstruction call = (InvokeInstruction) i;
          String netKey = call.name().stringValue() + call.type().stringValue();
          // A connect's bridge method takes the calling socket object as well.
          String key = call.name().equalsString("connect")
              ? netKey.replace(")I", "Ljava/lang/Object;)I") : netKey;
          assertTrue(bridgeMethods.contains(key), tcpClass + " calls Net." + netKey);
          // And the bridge passes the call on to that very Net method.
          MethodModel method = find(model, key);
          assertTrue(instructions(method).stream().anyMatch(b -> b instanceof InvokeInstruction bc
              && bc.owner().asInternalName().equals("sun/nio/ch/Net")
              && (bc.name().stringValue() + bc.type().stringValue()).equals(netKey)), key);
        }
      }
    }
  }

  private static boolean isNetBindOrConnect(Instruction i) {
    return i instanceof InvokeInstruction call && call.owner().asInternalName().equals("sun/nio/ch/Net")
        && (call.name().equalsString("bind") || call.name().equalsString("connect"));
  }

  private static List<Instruction> instructionsOf(byte[] classBytes) {
    return ClassFile.of().parse(classBytes).methods().stream()
        .flatMap(m -> instructions(m).stream()).toList();
  }

  private static MethodModel find(ClassModel model, MethodModel like) {
    return find(model, like.methodName().stringValue() + like.methodType().stringValue());
  }

  private static MethodModel find(ClassModel model, String key) {
    return model.methods().stream()
        .filter(m -> key.equals(m.methodName().stringValue() + m.methodType().stringValue()))
        .findFirst().orElseThrow();
  }

  private static List<Instruction> instructions(MethodModel method) {
    return method.code().map(code -> code.elementStream()
        .filter(e -> e instanceof Instruction).map(e -> (Instruction) e).toList())
        .orElse(List.of());
  }

  private static byte[] jdkClass(String module, String internalName) throws IOException {
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (InputStream in = Files.newInputStream(
        jrt.getPath("modules", module, internalName + ".class"))) {
      return in.readAllBytes();
    }
  }
}
